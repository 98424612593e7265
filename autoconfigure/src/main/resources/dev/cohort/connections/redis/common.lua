-- What every directory script shares; RedisConnectionStore puts it before each script.
--
-- The directory is split by hash tag so that no script crosses slots: a node's keys
-- ({<ns>:chat:node:<node id>}), a room's keys ({<ns>:chat:room:<room>}), a bucket of the
-- connection id -> node index ({<ns>:chat:holders:<n>}), a user's set
-- ({<ns>:chat:user:<user>}), and the epoch and room list ({<ns>:chat:directory}). Each script works
-- on one of them; RedisConnectionStore runs them in an order that a crash between two
-- leaves to the repairs (see docs/connections-and-chat.md).
--
-- A node's fingerprint is the XOR of a 32-bit hash (the first 8 hex digits of the SHA-1)
-- of each of its connection ids and of each "<connection id>\n<room>" of their
-- memberships, kept up to date by every script that changes them, so that the node can
-- check cheaply that the directory holds what it holds (DirectoryFingerprint in Java).
-- It lives in the node's own tag, beside what it fingerprints.
--
-- A room member's value is "<joined at ms>:<node id>"; its details, if it has some, are a
-- JSON object in the room's details hash under its connection id, written and removed with it.

-- The hash of a connection id in its node's fingerprint.
local function connectionHash(id)
	return tonumber(string.sub(redis.sha1hex(id), 1, 8), 16)
end

-- The hash of a membership in its node's fingerprint.
local function membershipHash(id, room)
	return connectionHash(id .. '\n' .. room)
end

-- XORs a change into a node's fingerprint (a string key).
local function changeFingerprint(fingerprint, change)
	if change ~= 0 then
		redis.call('SET', fingerprint, bit.bxor(tonumber(redis.call('GET', fingerprint) or '0'), change))
	end
end

-- The node id in a room member's value.
local function memberNode(value)
	return string.match(value, '^[^:]*:(.*)$') or ''
end

-- The join time in a room member's value.
local function memberJoinedAt(value)
	return string.match(value, '^([^:]*):') or '0'
end
