-- What every directory script shares; RedisConnectionStore puts it before each script.
--
-- A node's fingerprint is the XOR of a 32-bit hash (the first 8 hex digits of the SHA-1)
-- of each of its connection ids and of each "<connection id>\n<room>" of their
-- memberships, kept up to date by every script that changes them, so that the node can
-- check cheaply that the directory holds what it holds (DirectoryFingerprint in Java).

-- The hash of a connection id in its node's fingerprint.
local function connectionHash(id)
	return tonumber(string.sub(redis.sha1hex(id), 1, 8), 16)
end

-- The hash of a membership in its node's fingerprint.
local function membershipHash(id, room)
	return connectionHash(id .. '\n' .. room)
end

-- XORs a change into a node's fingerprint, in the hash of fingerprints.
local function changeFingerprint(fingerprints, node, change)
	if change ~= 0 then
		redis.call('HSET', fingerprints, node, bit.bxor(tonumber(redis.call('HGET', fingerprints, node) or '0'), change))
	end
end
