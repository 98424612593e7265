-- Records that the run of a period begun with period-begin.lua was enqueued, if the task's
-- mark is still at that period and queue.
--
-- KEYS[1] {<ns>:tasks}:recurring (hash task -> <period start ms>|<begun or enqueued>|<queue>)
-- ARGV[1] task, ARGV[2] period start in ms, ARGV[3] queue
-- Returns 1 if recorded, 0 if the mark had moved on

if redis.call('HGET', KEYS[1], ARGV[1]) ~= ARGV[2] .. '|begun|' .. ARGV[3] then
	return 0
end
redis.call('HSET', KEYS[1], ARGV[1], ARGV[2] .. '|enqueued|' .. ARGV[3])
return 1
