-- Renews the leases (and job locks) of the jobs a node runs, if it still holds them.
-- A job lock expires with its lease, so a renewal that comes after the lease lapsed (and
-- before a claim took the job back) may find it free: it takes it again. If another job
-- took it meanwhile, both would run with one lock: this job's lease ends instead, the job
-- goes back to the front of the queue, and it is reported lost, so that its worker stops it.
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
-- ARGV[1] lease in ms, then triples of ARGV job id, fencing token, lease id
-- Returns the ids whose lease the caller no longer holds

local now = nowMillis()
local leaseMs = tonumber(ARGV[1])
local lost = {}
for i = 2, #ARGV, 3 do
	local id = ARGV[i]
	local lease = redis.call('HGET', KEYS[5], id)
	if lease and leaseIs(lease, ARGV[i + 1], ARGV[i + 2]) then
		local json = redis.call('HGET', KEYS[2], id)
		local job = json and decodeJob(json)
		-- A corrupt job's lock cannot be read: only its lease is renewed.
		local lock = job and textField(job, 'lock')
		local holder = lock and redis.call('GET', jobLockKey(lock))
		if holder and holder ~= id then
			redis.call('ZREM', KEYS[4], id)
			redis.call('HDEL', KEYS[5], id)
			redis.call('LPUSH', KEYS[1], id)
			table.insert(lost, id)
		else
			redis.call('ZADD', KEYS[4], 'XX', now + leaseMs, id)
			if lock then
				redis.call('SET', jobLockKey(lock), id, 'PX', leaseMs)
			end
		end
	else
		table.insert(lost, id)
	end
end
return lost
