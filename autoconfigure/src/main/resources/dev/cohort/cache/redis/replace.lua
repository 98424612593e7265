-- Replaces whatever a key holds with a value or a list, with a time to live.
--
-- KEYS[1]  the value (a string) or list
-- ARGV[1]  'value' or 'list'
-- ARGV[2]  time to live in ms, or -1 for ever
-- ARGV[3..] the value, or the list's elements in order

redis.call('DEL', KEYS[1])
if ARGV[1] == 'value' then
	redis.call('SET', KEYS[1], ARGV[3])
else
	-- RPUSH in slices: unpack() of a long list would overflow Lua's stack.
	for first = 3, #ARGV, 1000 do
		redis.call('RPUSH', KEYS[1], unpack(ARGV, first, math.min(first + 999, #ARGV)))
	end
end
if tonumber(ARGV[2]) > 0 then
	redis.call('PEXPIRE', KEYS[1], ARGV[2])
end
return 1
