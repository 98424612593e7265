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
