-- Replaces a value only if it is still the one the caller read, keeping its time to live.
--
-- KEYS[1]  the value (a string)
-- ARGV[1]  '1' if the caller read a value, '0' if it found the key absent
-- ARGV[2]  the value the caller read ('' when absent)
-- ARGV[3]  '1' to write ARGV[4], '0' to delete the key
-- ARGV[4]  the new value ('' when deleting)
-- Returns  1 if replaced, 0 if the value had changed

local current = redis.call('GET', KEYS[1])
if ARGV[1] == '1' then
	if current ~= ARGV[2] then
		return 0
	end
elseif current then
	return 0
end
if ARGV[3] == '1' then
	redis.call('SET', KEYS[1], ARGV[4], 'KEEPTTL')
elseif current then
	redis.call('DEL', KEYS[1])
end
return 1
