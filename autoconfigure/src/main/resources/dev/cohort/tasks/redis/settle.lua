-- Ends leases of a queue's jobs, each if the caller's fencing token and lease id still hold
-- it, in one of four ways: done (the job is deleted and counted), retry (it is due again after
-- a delay), fail (it joins the failed jobs with its failure) or hand back (it goes to the front
-- of the queue). A worker whose lease lapsed, and whose job was taken back, changes nothing.
-- Done and failed jobs are counted in the current minute of the queue's history. A worker
-- settles the jobs that ended since its last call in one call: the commands on many jobs are
-- sent once, with every job's key in them. Then, if asked, it takes as many jobs as the
-- worker asks for, as claim.lua does, so that jobs that end hand their processors to the next
-- ones in the same call.
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
-- ARGV[1] to ARGV[6] the claim that follows, as claim.lua takes it (node id, most jobs (0: no
-- claim), lease ms, most stalls, lock wait ms, lease id); then five for each job: job id,
-- fencing token, lease id, 'done', 'retry', 'fail' or 'hand-back', and the retry delay in ms or
-- the failure JSON
-- Returns {for each job, in order, 1 if settled, 0 if the lease was not the caller's; the jobs
-- taken, as claim.lua returns them; the corrupt jobs failed while taking them; the jobs taken
-- back from lapsed leases, as claim.lua returns them}

local now = nowMillis()
local settled = {}
local ended = {}
local done = {}
local doneFields = {}
local seen = {}
local counts = {processed = 0, retried = 0, failed = 0}
for i = 7, #ARGV, 5 do
	local id = ARGV[i]
	local lease = (not seen[id]) and redis.call('HGET', KEYS[5], id)
	if not lease or not leaseIs(lease, ARGV[i + 1], ARGV[i + 2]) then
		table.insert(settled, 0)
	else
		seen[id] = true
		table.insert(settled, 1)
		table.insert(ended, id)
		local outcome = ARGV[i + 3]
		-- A job's lock is read from its JSON, decoded only if it names one. A corrupt job's
		-- lock cannot be read: it expires with the lease. A corrupt job that comes back to the
		-- queue is failed by the next claim.
		local json = redis.call('HGET', KEYS[2], id)
		local job = json and string.find(json, '"lock":"', 1, true) and decodeJob(json)
		local lock = job and textField(job, 'lock')
		if lock then
			local lockKey = jobLockKey(lock)
			if redis.call('GET', lockKey) == id then
				redis.call('DEL', lockKey)
			end
		end
		if outcome == 'done' then
			table.insert(done, id)
			table.insert(doneFields, id)
			table.insert(doneFields, id .. ':stalls')
			table.insert(doneFields, id .. ':failures')
			counts.processed = counts.processed + 1
		elseif outcome == 'retry' then
			redis.call('ZADD', KEYS[3], now + tonumber(ARGV[i + 4]), id)
			redis.call('HINCRBY', KEYS[11], id .. ':failures', 1)
			counts.retried = counts.retried + 1
		elseif outcome == 'fail' then
			redis.call('ZADD', KEYS[6], now, id)
			redis.call('HSET', KEYS[7], id, ARGV[i + 4])
			counts.failed = counts.failed + 1
		else
			redis.call('LPUSH', KEYS[1], id)
		end
	end
end

callInSlices('ZREM', KEYS[4], ended)
callInSlices('HDEL', KEYS[5], ended)
callInSlices('HDEL', KEYS[2], done)
callInSlices('HDEL', KEYS[11], doneFields)
for name, count in pairs(counts) do
	if count > 0 then
		redis.call('HINCRBY', KEYS[10], name, count)
	end
end
countInHistory('d', now, counts.processed)
countInHistory('f', now, counts.failed)
if tonumber(ARGV[2]) > 0 then
	local taken, corrupt, stalled = claimJobs(1, now)
	return {settled, taken, corrupt, stalled}
end
return {settled, {}, {}}
