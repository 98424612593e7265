-- Wakes an idle worker of a queue: pushes to the queue's wake-up list, kept short.
--
-- KEYS[1]  the queue's wake-up list, {<namespace>:tasks}:wake:<queue>
-- ARGV[1]  the queue's name
-- ARGV[2]  how many wake-ups the list keeps at most
-- Returns  the list's length before trimming

local length = redis.call('LPUSH', KEYS[1], ARGV[1])
redis.call('LTRIM', KEYS[1], 0, tonumber(ARGV[2]) - 1)
return length
