-- Deletes the oldest failed jobs of a queue, up to a number (RedisTaskStore calls it until
-- fewer are left, so that one call does not hold Redis for long): each as remove.lua removes
-- one failed job, with its failure, its JSON, its attempts and its unique entry.
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
-- ARGV[1] most jobs to delete
-- Returns how many were deleted

local ids = redis.call('ZRANGE', KEYS[6], 0, tonumber(ARGV[1]) - 1)
for _, id in ipairs(ids) do
	redis.call('ZREM', KEYS[6], id)
	redis.call('HDEL', KEYS[7], id)
	forgetJob(id, redis.call('HGET', KEYS[2], id))
end
return #ids
