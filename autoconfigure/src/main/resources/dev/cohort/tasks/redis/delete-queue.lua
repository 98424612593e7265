-- Deletes every waiting and delayed job of a queue (ActionHero's delQueue), each as remove.lua
-- deletes one. Running jobs finish, failed jobs stay. It walks the whole queue in one step:
-- O(jobs), as long as deleting them one by one would take, without the round trips.
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
-- Returns how many jobs were deleted

local deleted = 0
for _, ids in ipairs({redis.call('LRANGE', KEYS[1], 0, -1), redis.call('ZRANGE', KEYS[3], 0, -1)}) do
	for _, id in ipairs(ids) do
		local json = redis.call('HGET', KEYS[2], id)
		if json then
			forgetJob(id, json)
			deleted = deleted + 1
		end
	end
end
redis.call('DEL', KEYS[1], KEYS[3])
return deleted
