-- Reads a queue's counts and how long the next job to run has waited, in one cheap step:
-- for stats(), which gauges call every few seconds (inspect.lua reads every lease and up to
-- 1,000 jobs; this reads lengths, the counters and one job).
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
-- No ARGV.
-- Returns {waiting, delayed, running, failed, {stat, count, ...}, ms since the job at the head
-- of pending was enqueued, or -1 if none waits, 1 if the queue is paused else 0}

local now = nowMillis()
local age = -1
-- The head's id may name a job deleted meanwhile, or corrupt JSON (the next claim fails it):
-- the first readable job of the first few counts.
for _, id in ipairs(redis.call('LRANGE', KEYS[1], 0, 9)) do
	local json = redis.call('HGET', KEYS[2], id)
	local job = json and decodeJob(json)
	if job and type(job.enqueuedAt) == 'number' then
		age = math.max(0, now - job.enqueuedAt)
		break
	end
end
return {redis.call('LLEN', KEYS[1]), redis.call('ZCARD', KEYS[3]), redis.call('HLEN', KEYS[5]),
	redis.call('ZCARD', KEYS[6]), redis.call('HGETALL', KEYS[10]), age, redis.call('EXISTS', KEYS[15])}
