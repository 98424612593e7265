-- Registers or refreshes one node, drops the nodes whose deadline has passed and returns
-- the live members, all on the Redis server's clock, in one atomic step.
--
-- KEYS[1]  sorted set: node id -> deadline (ms since the epoch, server time)
-- KEYS[2]  hash: node id -> registration JSON, which has an "instance" field
-- ARGV[1]  node id
-- ARGV[2]  node timeout in ms
-- ARGV[3]  registration JSON
-- ARGV[4]  instance id of the calling process
-- Returns  {status, now, id1, json1, id2, json2, ...} where status is 0 (refreshed),
--          1 (joined) or -1 (the id is held by another live instance: nothing changed)

local time = redis.call('TIME')
local now = tonumber(time[1]) * 1000 + math.floor(tonumber(time[2]) / 1000)

for _, id in ipairs(redis.call('ZRANGEBYSCORE', KEYS[1], '-inf', now)) do
	redis.call('ZREM', KEYS[1], id)
	redis.call('HDEL', KEYS[2], id)
end

local status = 1
if redis.call('ZSCORE', KEYS[1], ARGV[1]) then
	status = 0
	local current = redis.call('HGET', KEYS[2], ARGV[1])
	if current then
		local ok, registration = pcall(cjson.decode, current)
		if ok and type(registration) == 'table' and registration.instance ~= ARGV[4] then
			status = -1
		end
	end
end

if status ~= -1 then
	redis.call('ZADD', KEYS[1], now + tonumber(ARGV[2]), ARGV[1])
	redis.call('HSET', KEYS[2], ARGV[1], ARGV[3])
end

local result = {status, now}
for _, id in ipairs(redis.call('ZRANGE', KEYS[1], 0, -1)) do
	result[#result + 1] = id
	result[#result + 1] = redis.call('HGET', KEYS[2], id) or ''
end
return result
