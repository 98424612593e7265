-- Ends a job's lease, if the caller's fencing token and lease id still hold it, in one of
-- four ways: done (the job is deleted and counted), retry (it is due again after a delay),
-- fail (it joins the failed jobs with its failure) or hand back (it goes to the front of
-- the queue). A worker whose lease lapsed, and whose job was taken back, changes nothing.
-- Done and failed jobs are counted in the current minute of the queue's history.
--
-- KEYS (every queue script gets the same fourteen keys, all with the queue's hash tag):
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
-- Times are the Redis server's clock, in ms.
-- ARGV[1] job id, ARGV[2] fencing token, ARGV[3] lease id, ARGV[4] 'done', 'retry', 'fail'
-- or 'hand-back', ARGV[5] retry delay in ms, or the failure JSON
-- Returns 1 if settled, 0 if the lease was not the caller's

local now = nowMillis()
local id = ARGV[1]
local lease = redis.call('HGET', KEYS[5], id)
if not lease or not leaseIs(lease, ARGV[2], ARGV[3]) then
	return 0
end
redis.call('ZREM', KEYS[4], id)
redis.call('HDEL', KEYS[5], id)
local json = redis.call('HGET', KEYS[2], id)
-- A corrupt job's lock cannot be read: it expires with the lease. A corrupt job that
-- comes back to the queue is failed by the next claim.
local job = json and decodeJob(json)
local lock = job and textField(job, 'lock')
if lock then
	local lockKey = jobLockKey(lock)
	if redis.call('GET', lockKey) == id then
		redis.call('DEL', lockKey)
	end
end
local outcome = ARGV[4]
if outcome == 'done' then
	redis.call('HDEL', KEYS[2], id)
	redis.call('HDEL', KEYS[11], id, id .. ':stalls', id .. ':failures')
	redis.call('HINCRBY', KEYS[10], 'processed', 1)
	countInHistory('d', now)
elseif outcome == 'retry' then
	redis.call('ZADD', KEYS[3], now + tonumber(ARGV[5]), id)
	redis.call('HINCRBY', KEYS[11], id .. ':failures', 1)
	redis.call('HINCRBY', KEYS[10], 'retried', 1)
elseif outcome == 'fail' then
	redis.call('ZADD', KEYS[6], now, id)
	redis.call('HSET', KEYS[7], id, ARGV[5])
	redis.call('HINCRBY', KEYS[10], 'failed', 1)
	countInHistory('f', now)
else
	redis.call('LPUSH', KEYS[1], id)
end
return 1
