-- What every task script shares; RedisTaskStore puts it before each script.

-- The Redis server's clock, in ms.
local function nowMillis()
	local time = redis.call('TIME')
	return tonumber(time[1]) * 1000 + math.floor(tonumber(time[2]) / 1000)
end

-- A stored job's JSON as a table, or nil if it is corrupt (it does not parse, or is not an
-- object). Whoever can write to Redis can plant such JSON, and a script that stopped on it
-- would stop half-way: Redis does not roll back what a script did before an error.
local function decodeJob(json)
	local ok, job = pcall(cjson.decode, json)
	if ok and type(job) == 'table' then
		return job
	end
	return nil
end

-- A job's field if it is text, else nil (absent, null or of another type).
local function textField(job, name)
	local value = job[name]
	if type(value) == 'string' then
		return value
	end
	return nil
end

-- Whether a lease, <node>|<fencing token>|<started ms>|<lease id>, has this token and id.
local function leaseIs(lease, fence, leaseId)
	local leaseFence, id = string.match(lease, '^[^|]*|([^|]*)|[^|]*|([^|]*)$')
	return leaseFence == fence and id == leaseId
end

-- The key of a job lock: a string beside the queue's keys, in their slot. KEYS[14] is the
-- prefix of the queue's job locks, <tag>:lock:, built by ClusterKeys.taskJobLockPrefix: a
-- job's lock key is only known once the script read the job, so the full name is made here.
local function jobLockKey(lock)
	return KEYS[14] .. lock
end

-- The slots of the history ring: one a minute for a day. Slot <minute mod 1440> holds
-- <slot>:m (the minute, in minutes since the epoch), <slot>:d (jobs done in it) and <slot>:f
-- (jobs failed for good in it). A slot still holding an older minute is reset before it counts.
local HISTORY_SLOTS = 1440

-- Counts jobs done ('d') or failed for good ('f') in the current minute of the queue's
-- history (KEYS[13]), and keeps the history a day past the first count of its last minute:
-- the time to live is set when a minute's slot is reset, not on every count, which spares
-- the busiest script (settle) a command per call.
local function countInHistory(field, now, count)
	count = count or 1
	if count <= 0 then
		return
	end
	local minute = math.floor(now / 60000)
	local slot = minute % HISTORY_SLOTS
	local stamp = string.format('%d', minute)
	if redis.call('HGET', KEYS[13], slot .. ':m') ~= stamp then
		redis.call('HSET', KEYS[13], slot .. ':m', stamp, slot .. ':d', 0, slot .. ':f', 0)
		redis.call('PEXPIRE', KEYS[13], HISTORY_SLOTS * 60000)
	end
	redis.call('HINCRBY', KEYS[13], slot .. ':' .. field, count)
end

-- Many values in one command, in slices that stay within Lua's bound on unpacked values.
local function callInSlices(command, key, values)
	for first = 1, #values, 1000 do
		redis.call(command, key, unpack(values, first, math.min(#values, first + 999)))
	end
end

-- Forgets a job that no list or set holds any more: its JSON, its attempts, and its unique entry
-- if it holds it. A corrupt job's unique key cannot be read: it is left, and an identical job
-- waits for nothing once this one is gone (enqueue.lua checks that the job it names exists).
local function forgetJob(id, json)
	redis.call('HDEL', KEYS[2], id)
	redis.call('HDEL', KEYS[11], id, id .. ':stalls', id .. ':failures')
	local job = json and decodeJob(json)
	local unique = job and textField(job, 'unique')
	if unique and redis.call('HGET', KEYS[9], unique) == id then
		redis.call('HDEL', KEYS[9], unique)
	end
end

-- Takes up to a number of jobs for a node, as claim.lua describes, with its six arguments from
-- ARGV[first] on (node id, most jobs, lease ms, most stalls, lock wait ms, lease id). Returns the
-- jobs taken ({id, JSON, attempt, fencing token, failures so far, ...}), the corrupt ones failed,
-- and the jobs taken back from workers whose lease lapsed ({id, task, node that lost it, stalls
-- so far, 1 if it failed as stalled else 0, attempts so far, ...}), for the claiming node to log
-- and count.
local function claimJobs(first, now)
	local corrupt = {}
	local stalled = {}

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
			local failed = stalls > tonumber(ARGV[first + 3])
			if failed then
				redis.call('ZADD', KEYS[6], now, id)
				redis.call('HSET', KEYS[7], id, cjson.encode({reason = 'stalled', node = node, at = now,
					stalls = stalls, attempt = tonumber(redis.call('HGET', KEYS[11], id) or '0')}))
				redis.call('HINCRBY', KEYS[10], 'failed', 1)
				countInHistory('f', now)
			else
				redis.call('LPUSH', KEYS[1], id)
			end
			table.insert(stalled, id)
			table.insert(stalled, textField(job, 'task') or '')
			table.insert(stalled, node)
			table.insert(stalled, stalls)
			table.insert(stalled, failed and 1 or 0)
			table.insert(stalled, tonumber(redis.call('HGET', KEYS[11], id) or '0'))
		end
	end

	local taken = {}
	local wanted = tonumber(ARGV[first + 1])
	-- A paused queue still moves its due jobs and takes back lapsed leases, but hands out none.
	if redis.call('EXISTS', KEYS[15]) == 1 then
		wanted = 0
	end
	local leaseMs = tonumber(ARGV[first + 2])
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
			failCorrupt(id, ARGV[first])
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
					redis.call('ZADD', KEYS[3], now + tonumber(ARGV[first + 4]), id)
				else
					redis.call('SET', jobLockKey(lock), id, 'PX', leaseMs)
				end
			end
			if free then
				local attempt = redis.call('HINCRBY', KEYS[11], id, 1)
				local fence = redis.call('INCR', KEYS[8])
				redis.call('ZADD', KEYS[4], now + leaseMs, id)
				redis.call('HSET', KEYS[5], id, ARGV[first] .. '|' .. fence .. '|' .. now .. '|' .. ARGV[first + 5])
				table.insert(taken, id)
				table.insert(taken, json)
				table.insert(taken, attempt)
				table.insert(taken, fence)
				table.insert(taken, tonumber(redis.call('HGET', KEYS[11], id .. ':failures') or '0'))
			end
		end
	end
	return taken, corrupt, stalled
end

-- How long until the queue may have work: 0 if jobs wait, the ms until a delayed job is due or
-- a lease lapses, or -1. A paused queue has work only when a lease lapses (resuming wakes its
-- workers).
local function nextWake(now)
	local paused = redis.call('EXISTS', KEYS[15]) == 1
	if not paused and redis.call('LLEN', KEYS[1]) > 0 then
		return 0
	end
	local next = -1
	for _, key in ipairs(paused and {KEYS[4]} or {KEYS[3], KEYS[4]}) do
		local first = redis.call('ZRANGE', key, 0, 0, 'WITHSCORES')
		if first[2] then
			local wait = math.max(0, tonumber(first[2]) - now)
			if next < 0 or wait < next then
				next = wait
			end
		end
	end
	return next
end
