-- Removes a job that is not running: waiting, delayed or failed.
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
-- ARGV[2] "failed" to remove the job only if it is failed (optional)
-- Returns 1 if removed, 0 if absent (or not failed when asked), -1 if it is running
--         (cancel it instead)

local id = ARGV[1]
if ARGV[2] == 'failed' and not redis.call('ZSCORE', KEYS[6], id) then
	return 0
end
if redis.call('HEXISTS', KEYS[5], id) == 1 then
	return -1
end
local json = redis.call('HGET', KEYS[2], id)
if not json then
	return 0
end
redis.call('LREM', KEYS[1], 0, id)
redis.call('ZREM', KEYS[3], id)
redis.call('ZREM', KEYS[6], id)
redis.call('HDEL', KEYS[7], id)
forgetJob(id, json)
return 1
