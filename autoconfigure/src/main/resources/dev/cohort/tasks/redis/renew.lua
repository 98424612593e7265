-- Renews the leases (and job locks) of the jobs a node runs, if it still holds them.
--
-- KEYS (every queue script gets the same twelve keys, all with the queue's hash tag):
--   1 pending (list of job ids, taken from the left)   7 failures (hash id -> failure JSON)
--   2 jobs (hash id -> job JSON)                        8 fence (counter of leases)
--   3 delayed (zset id -> due ms)                       9 unique (hash unique key -> id)
--   4 active (zset id -> lease deadline ms)            10 stats (hash of counters)
--   5 leases (hash id -> node|fence|started ms)        11 attempts (hash id -> claims, id:stalls, id:failures)
--   6 failed (zset id -> failed at ms)                 12 recurring (hash task -> last period ms)
-- Job locks are strings named <tag>:lock:<lock key>, in the same slot as KEYS[1].
-- Times are the Redis server's clock, in ms.
-- ARGV[1] lease in ms, then pairs of ARGV job id, fencing token
-- Returns the ids whose lease the caller no longer holds

local time = redis.call('TIME')
local now = tonumber(time[1]) * 1000 + math.floor(tonumber(time[2]) / 1000)
local leaseMs = tonumber(ARGV[1])
local lost = {}
for i = 2, #ARGV, 2 do
	local id = ARGV[i]
	local lease = redis.call('HGET', KEYS[5], id)
	if lease and string.match(lease, '^[^|]*|([^|]*)') == ARGV[i + 1] then
		redis.call('ZADD', KEYS[4], 'XX', now + leaseMs, id)
		local json = redis.call('HGET', KEYS[2], id)
		local lock = json and cjson.decode(json)['lock']
		if lock and lock ~= cjson.null then
			redis.call('PEXPIRE', string.sub(KEYS[1], 1, -9) .. ':lock:' .. lock, leaseMs)
		end
	else
		table.insert(lost, id)
	end
end
return lost
