-- Removes those of some jobs that still wait or are delayed (ActionHero's del and delDelayed,
-- once the caller picked them by their arguments), each as remove.lua removes one. A job that
-- runs or failed since it was picked stays. The waiting list is rebuilt once, in order, without
-- the removed jobs, rather than searched once per job.
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
-- Times are the Redis server's clock, in ms.
-- ARGV the job ids
-- Returns how many were removed

local removed = 0
local fromPending = {}
for _, id in ipairs(ARGV) do
	local json = redis.call('HGET', KEYS[2], id)
	if json and redis.call('HEXISTS', KEYS[5], id) == 0 and not redis.call('ZSCORE', KEYS[6], id) then
		if redis.call('ZREM', KEYS[3], id) == 0 then
			fromPending[id] = true
		end
		forgetJob(id, json)
		removed = removed + 1
	end
end
if next(fromPending) then
	local kept = {}
	for _, id in ipairs(redis.call('LRANGE', KEYS[1], 0, -1)) do
		if not fromPending[id] then
			table.insert(kept, id)
		end
	end
	redis.call('DEL', KEYS[1])
	callInSlices('RPUSH', KEYS[1], kept)
end
return removed
