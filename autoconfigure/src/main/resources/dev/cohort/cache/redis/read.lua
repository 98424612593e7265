-- Reads a value unless its lock is held, refreshing its time to live, in one step.
--
-- KEYS[1]  the value (a string)
-- KEYS[2]  the lock of the same name (same hash tag)
-- ARGV[1]  new time to live in ms, or 0 to leave it
-- ARGV[2]  '1' to refuse while the lock is held, '0' to ignore it
-- Returns  {1} if locked, {0} if absent, {0, value} if read

if ARGV[2] == '1' and redis.call('EXISTS', KEYS[2]) == 1 then
	return {1}
end
local value = redis.call('GET', KEYS[1])
if not value then
	return {0}
end
if ARGV[1] ~= '0' then
	redis.call('PEXPIRE', KEYS[1], ARGV[1])
end
return {0, value}
