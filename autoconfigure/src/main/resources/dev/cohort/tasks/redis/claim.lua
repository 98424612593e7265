-- Takes up to a number of jobs for a node, each under a lease with a new fencing token and
-- the caller's lease id. First moves the delayed jobs that are due to the queue, and takes
-- back the jobs whose lease lapsed (their worker died or hung): to the front of the queue,
-- or to the failed jobs once they stalled too often. A job whose job lock another job holds
-- waits a little. A job whose JSON is corrupt joins the failed jobs (reason 'corrupt').
-- Every job failed here is counted in the history's current minute, as settle.lua counts.
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
-- ARGV[1] node id, ARGV[2] most jobs to take, ARGV[3] lease in ms, ARGV[4] most stalls,
-- ARGV[5] wait in ms of a job whose lock is held, ARGV[6] the lease id of this claim
-- Returns {{id, job JSON, attempt, fencing token, failures so far, ...} for each job taken,
--          {id, ...} of the corrupt jobs failed,
--          if it took fewer jobs than asked, the ms until the queue may have work as next-wake.lua
--          tells them (0, ms or -1), else 0,
--          {id, task, node that lost it, stalls so far, 1 if failed as stalled else 0, attempts so
--          far, ...} of the jobs taken back from workers whose lease lapsed}

local now = nowMillis()
local taken, corrupt, stalled = claimJobs(1, now)
-- Fewer jobs than asked: the queue has no more now, and the worker learns in the same step how
-- long it may wait.
local wait = 0
if #taken / 5 < tonumber(ARGV[2]) then
	wait = nextWake(now)
end
return {taken, corrupt, wait, stalled}
