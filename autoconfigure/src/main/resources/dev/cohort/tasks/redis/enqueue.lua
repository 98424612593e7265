-- Adds jobs to a queue, in order, each now or at a time; a unique job is not added while an
-- identical one waits (or was added before it by this call), and the waiting one's id is
-- returned instead. Then wakes the queue's idle workers, one wake-up for each job added, in the
-- same step: the caller waits for one round trip, and a worker wakes as the job is stored.
--
-- KEYS (every queue script gets the same fifteen keys, all with the queue's hash tag):
--   1 pending (list of job ids, taken from the left)   7 failures (hash id -> failure JSON)
--   2 jobs (hash id -> job JSON)                        8 fence (counter of leases)
--   3 delayed (zset id -> due ms)                       9 unique (hash unique key -> id)
--   4 active (zset id -> lease deadline ms)            10 stats (hash of counters)
--   5 leases (hash id -> node|fence|started|lease id) 11 attempts (hash id -> claims, id:stalls, id:failures)
--   6 failed (zset id -> failed at ms)                 12 recurring (hash task -> last period ms)
--  13 history (hash, a ring of 1440 minutes: <slot>:m minute, <slot>:d done, <slot>:f failed)
--  14 lock prefix <tag>:lock: (a prefix, not a key: a job's lock is the string <tag>:lock:<lock key>,
--     whose lock key is known only once the job is read; the prefix is declared so that Redis Cluster
--     sees the one slot the script touches, and jobLockKey in common.lua appends the lock key)
--  15 paused (a string, '1' while the queue is paused: claims take nothing from it)
--  16 the queue's wake-up list, {<namespace>:tasks}:wake:<queue>, only if ARGV[1] is not 0: its
--     slot is not the queue's, so on a Redis Cluster the caller wakes the workers itself
-- Times are the Redis server's clock, in ms.
-- ARGV[1] how many wake-ups the wake-up list keeps at most (0: KEYS[16] is not given), ARGV[2] the
-- queue's name, then four for each job: id, JSON, due time in ms (0: now), unique key ('' if none)
-- Returns {the id of each job's waiting job, in order: its own, or an identical one's; the
-- error of the wake-up, or ''}

local now = nowMillis()
local ids = {}
local fields = {}
local pending = {}
local addedHere = {}
for i = 3, #ARGV, 4 do
	local id, unique = ARGV[i], ARGV[i + 3]
	local waiting = nil
	if unique ~= '' then
		waiting = redis.call('HGET', KEYS[9], unique)
		if waiting and not addedHere[waiting] and redis.call('HEXISTS', KEYS[2], waiting) == 0 then
			waiting = nil
		end
	end
	if waiting then
		table.insert(ids, waiting)
	else
		if unique ~= '' then
			redis.call('HSET', KEYS[9], unique, id)
		end
		addedHere[id] = true
		table.insert(fields, id)
		table.insert(fields, ARGV[i + 1])
		local due = tonumber(ARGV[i + 2])
		if due > now then
			redis.call('ZADD', KEYS[3], due, id)
		else
			table.insert(pending, id)
		end
		table.insert(ids, id)
	end
end

callInSlices('HSET', KEYS[2], fields)
callInSlices('RPUSH', KEYS[1], pending)

-- The jobs are stored whatever the wake-up does: a failed one (an ACL, say) is reported, not
-- raised, and idle workers look at their queues at least every 5 seconds anyway.
local added = #fields / 2
local capacity = tonumber(ARGV[1])
local wakeError = ''
if added > 0 and capacity > 0 then
	local wakeUps = {}
	for _ = 1, math.min(added, capacity) do
		table.insert(wakeUps, ARGV[2])
	end
	local pushed = redis.pcall('LPUSH', KEYS[16], unpack(wakeUps))
	local trimmed = type(pushed) == 'number' and redis.pcall('LTRIM', KEYS[16], 0, capacity - 1)
	local failed = (type(pushed) == 'table' and pushed) or (type(trimmed) == 'table' and trimmed)
	if failed and failed.err then
		wakeError = failed.err
	end
end
return {ids, wakeError}
