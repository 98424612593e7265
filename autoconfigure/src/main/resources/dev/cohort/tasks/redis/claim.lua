-- Takes up to a number of jobs for a node, each under a lease with a new fencing token and
-- the caller's lease id. First moves the delayed jobs that are due to the queue, and takes
-- back the jobs whose lease lapsed (their worker died or hung): to the front of the queue,
-- or to the failed jobs once they stalled too often. A job whose job lock another job holds
-- waits a little. A job whose JSON is corrupt joins the failed jobs (reason 'corrupt').
-- Every job failed here is counted in the history's current minute, as settle.lua counts.
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
-- ARGV[1] node id, ARGV[2] most jobs to take, ARGV[3] lease in ms, ARGV[4] most stalls,
-- ARGV[5] wait in ms of a job whose lock is held, ARGV[6] the lease id of this claim
-- Returns {{id, job JSON, attempt, fencing token, failures so far, ...} for each job taken,
--          {id, ...} of the corrupt jobs failed}

local now = nowMillis()
local corrupt = {}

local function failCorrupt(id, node)
	redis.call('ZADD', KEYS[6], now, id)
	redis.call('HSET', KEYS[7], id, cjson.encode({reason = 'corrupt', node = node, at = now,
		attempt = tonumber(redis.call('HGET', KEYS[11], id) or '0'), message = 'The job\'s JSON does not parse'}))
	redis.call('HINCRBY', KEYS[10], 'failed', 1)
	countInHistory('f', now)
	table.insert(corrupt, id)
end

local function releaseLock(id, job)
	local lock = textField(job, 'lock')
	if lock and redis.call('GET', jobLockKey(lock)) == id then
		redis.call('DEL', jobLockKey(lock))
	end
end

for _, id in ipairs(redis.call('ZRANGEBYSCORE', KEYS[3], '-inf', now, 'LIMIT', 0, 1000)) do
	redis.call('ZREM', KEYS[3], id)
	redis.call('RPUSH', KEYS[1], id)
end

for _, id in ipairs(redis.call('ZRANGEBYSCORE', KEYS[4], '-inf', now, 'LIMIT', 0, 100)) do
	local lease = redis.call('HGET', KEYS[5], id) or ''
	local node = string.match(lease, '^([^|]*)') or ''
	redis.call('ZREM', KEYS[4], id)
	redis.call('HDEL', KEYS[5], id)
	local json = redis.call('HGET', KEYS[2], id)
	local job = json and decodeJob(json)
	if json and not job then
		-- Its job lock, if it has one, cannot be read: it expires with the lease.
		failCorrupt(id, node)
	elseif job then
		releaseLock(id, job)
		local stalls = redis.call('HINCRBY', KEYS[11], id .. ':stalls', 1)
		redis.call('HINCRBY', KEYS[10], 'stalled', 1)
		if stalls > tonumber(ARGV[4]) then
			redis.call('ZADD', KEYS[6], now, id)
			redis.call('HSET', KEYS[7], id, cjson.encode({reason = 'stalled', node = node, at = now,
				stalls = stalls, attempt = tonumber(redis.call('HGET', KEYS[11], id) or '0')}))
			redis.call('HINCRBY', KEYS[10], 'failed', 1)
			countInHistory('f', now)
		else
			redis.call('LPUSH', KEYS[1], id)
		end
	end
end

local taken = {}
local wanted = tonumber(ARGV[2])
local leaseMs = tonumber(ARGV[3])
-- Jobs whose job lock is held are set aside, not taken; a claim looks at a bounded number
-- of jobs so that a backlog of them does not make one script walk the whole queue.
local looked = 0
while #taken < wanted * 5 and looked < wanted + 100 do
	looked = looked + 1
	local id = redis.call('LPOP', KEYS[1])
	if not id then
		break
	end
	local json = redis.call('HGET', KEYS[2], id)
	local job = json and decodeJob(json)
	if json and not job then
		failCorrupt(id, ARGV[1])
	elseif job then
		local unique = textField(job, 'unique')
		if unique and redis.call('HGET', KEYS[9], unique) == id then
			redis.call('HDEL', KEYS[9], unique)
		end
		local lock = textField(job, 'lock')
		local free = true
		if lock then
			local holder = redis.call('GET', jobLockKey(lock))
			if holder and holder ~= id then
				free = false
				redis.call('ZADD', KEYS[3], now + tonumber(ARGV[5]), id)
			else
				redis.call('SET', jobLockKey(lock), id, 'PX', leaseMs)
			end
		end
		if free then
			local attempt = redis.call('HINCRBY', KEYS[11], id, 1)
			local fence = redis.call('INCR', KEYS[8])
			redis.call('ZADD', KEYS[4], now + leaseMs, id)
			redis.call('HSET', KEYS[5], id, ARGV[1] .. '|' .. fence .. '|' .. now .. '|' .. ARGV[6])
			table.insert(taken, id)
			table.insert(taken, json)
			table.insert(taken, attempt)
			table.insert(taken, fence)
			table.insert(taken, tonumber(redis.call('HGET', KEYS[11], id .. ':failures') or '0'))
		end
	end
end
return {taken, corrupt}
