-- Begins enqueueing a period of a recurring task: moves the task's mark, kept across its
-- queues, to this period and queue, unless it is at this period or a later one already.
-- The mark is then 'begun' until period-end.lua records that the run was enqueued, so a
-- leader that finds a begun mark finishes that period, in the queue the mark names,
-- whatever queue its own definition of the task says. The queue's own recurring hash
-- (recurring.lua) still refuses a period twice; the mark cannot share a script with it, since
-- on a Redis Cluster they are in different slots.
--
-- KEYS[1] {<ns>:tasks}:recurring (hash task -> <period start ms>|<begun or enqueued>|<queue>)
-- ARGV[1] task, ARGV[2] period start in ms, ARGV[3] queue
-- Returns the task's mark after the call: {period start, queue, 1 if enqueued else 0}

local mark = redis.call('HGET', KEYS[1], ARGV[1])
if mark then
	local start, state, queue = string.match(mark, '^(%-?%d+)|(%a+)|(.+)$')
	if start and tonumber(start) >= tonumber(ARGV[2]) then
		return {start, queue, (state == 'enqueued') and 1 or 0}
	end
end
redis.call('HSET', KEYS[1], ARGV[1], ARGV[2] .. '|begun|' .. ARGV[3])
return {ARGV[2], ARGV[3], 0}
