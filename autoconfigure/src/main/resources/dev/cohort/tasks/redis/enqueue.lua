-- Adds a job to a queue, now or at a time; a unique job is not added while an identical
-- one waits, and the waiting one's id is returned instead.
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
-- ARGV[1] job id, ARGV[2] job JSON, ARGV[3] due time in ms (0: now), ARGV[4] unique key ('' if none)
-- Returns the id of the job that waits: ARGV[1], or the identical one already waiting

local now = nowMillis()
local id = ARGV[1]
if ARGV[4] ~= '' then
	local waiting = redis.call('HGET', KEYS[9], ARGV[4])
	if waiting and redis.call('HEXISTS', KEYS[2], waiting) == 1 then
		return waiting
	end
	redis.call('HSET', KEYS[9], ARGV[4], id)
end
redis.call('HSET', KEYS[2], id, ARGV[2])
local due = tonumber(ARGV[3])
if due > now then
	redis.call('ZADD', KEYS[3], due, id)
else
	redis.call('RPUSH', KEYS[1], id)
end
return id
