-- Reads a value or a list whole, with its remaining time to live, in one step.
--
-- KEYS[1]  the value (a string) or list
-- Returns  {'value', ttl ms, value} or {'list', ttl ms, element...}, with ttl -1 if it
--          never expires; an empty array if absent or of another type

local kind = redis.call('TYPE', KEYS[1]).ok
local ttl = redis.call('PTTL', KEYS[1])
if kind == 'string' then
	return {'value', ttl, redis.call('GET', KEYS[1])}
elseif kind == 'list' then
	local entry = redis.call('LRANGE', KEYS[1], 0, -1)
	table.insert(entry, 1, ttl)
	table.insert(entry, 1, 'list')
	return entry
end
return {}
