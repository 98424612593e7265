-- The waiting and delayed jobs of one task, read in one step, for RedisTaskStore to pick those
-- with given arguments (their identity is computed in Java, on canonical JSON) and remove them
-- with remove-waiting.lua. A job's JSON is searched for the task's name before it is decoded.
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
-- ARGV[1] the task's name, ARGV[2] the task's name as a JSON string (quoted and escaped)
-- Returns the JSON of each job: waiting ones in queue order, then delayed ones soonest first

local jobs = {}
local needle = '"task":' .. ARGV[2]
for _, ids in ipairs({redis.call('LRANGE', KEYS[1], 0, -1), redis.call('ZRANGE', KEYS[3], 0, -1)}) do
	for _, id in ipairs(ids) do
		local json = redis.call('HGET', KEYS[2], id)
		if json and string.find(json, needle, 1, true) then
			local job = decodeJob(json)
			if job and textField(job, 'task') == ARGV[1] then
				table.insert(jobs, json)
			end
		end
	end
end
return jobs
