-- Reads what a queue holds, in one step: for the inspection API.
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
-- ARGV[1] first waiting job to list, ARGV[2] last (inclusive), ARGV[3] most delayed and failed jobs to list
-- Returns {pending count, {waiting ids}, {delayed id, due, ...}, {active id, lease, ...},
--          {failed id, failure JSON, ...}, {id, job JSON, ...}, {stat, count, ...},
--          delayed count, failed count}

local waiting = redis.call('LRANGE', KEYS[1], ARGV[1], ARGV[2])
local limit = tonumber(ARGV[3]) - 1
local delayed = redis.call('ZRANGE', KEYS[3], 0, limit, 'WITHSCORES')
local active = redis.call('HGETALL', KEYS[5])
local failed = {}
for _, id in ipairs(redis.call('ZRANGE', KEYS[6], 0, limit)) do
	table.insert(failed, id)
	table.insert(failed, redis.call('HGET', KEYS[7], id) or '{}')
end
local jobs = {}
local function addJob(id)
	local json = redis.call('HGET', KEYS[2], id)
	if json then
		table.insert(jobs, id)
		table.insert(jobs, json)
	end
end
for _, id in ipairs(waiting) do addJob(id) end
for i = 1, #delayed, 2 do addJob(delayed[i]) end
for i = 1, #active, 2 do addJob(active[i]) end
for i = 1, #failed, 2 do addJob(failed[i]) end
return {redis.call('LLEN', KEYS[1]), waiting, delayed, active, failed, jobs, redis.call('HGETALL', KEYS[10]),
	redis.call('ZCARD', KEYS[3]), redis.call('ZCARD', KEYS[6])}
