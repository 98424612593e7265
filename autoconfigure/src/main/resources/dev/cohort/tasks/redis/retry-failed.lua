-- Puts a failed job back at the end of its queue, with its attempts counted afresh.
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
-- ARGV[1] job id
-- Returns 1 if it was failed and is queued again, 0 otherwise

local id = ARGV[1]
if redis.call('ZREM', KEYS[6], id) == 0 then
	return 0
end
redis.call('HDEL', KEYS[7], id)
redis.call('HDEL', KEYS[11], id, id .. ':stalls', id .. ':failures')
if redis.call('HEXISTS', KEYS[2], id) == 0 then
	return 0
end
redis.call('RPUSH', KEYS[1], id)
return 1
