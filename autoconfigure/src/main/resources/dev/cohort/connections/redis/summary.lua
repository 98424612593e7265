-- What the directory holds for a node, in two numbers, and the directory's epoch: a random
-- id set by the first node to ask, so that a directory that lost its data (a Redis
-- restarted without persistence, a flush) shows a new one.
--
-- KEYS[1]  string: the directory's epoch ({<ns>:chat}:epoch)
-- KEYS[2]  set: the node's connection ids ({<ns>:chat}:node:<node id>)
-- KEYS[3]  hash: node id -> fingerprint of its entries ({<ns>:chat}:fingerprints, see
--          common.lua)
-- ARGV[1]  the node id
-- ARGV[2]  the epoch to set if there is none
-- Returns  {epoch, 1 if it was set now else 0, connections, fingerprint}

local epoch = redis.call('GET', KEYS[1])
local created = 0
if not epoch then
	epoch = ARGV[2]
	redis.call('SET', KEYS[1], epoch)
	created = 1
end
local fingerprint = tonumber(redis.call('HGET', KEYS[3], ARGV[1]) or '0')
return {epoch, created, redis.call('SCARD', KEYS[2]), fingerprint}
