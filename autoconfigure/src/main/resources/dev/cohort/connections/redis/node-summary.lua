-- What the directory holds for a node, in two numbers. Connections being forgotten count
-- too, so that a forget that stopped half-way makes the node's check differ, and its
-- repair finish it.
--
-- KEYS[1]  set: the node's connection ids ({<ns>:chat:node:<node>}:connections)
-- KEYS[2]  set: the node's connections being forgotten ({<ns>:chat:node:<node>}:leaving)
-- KEYS[3]  string: the node's fingerprint ({<ns>:chat:node:<node>}:fingerprint)
-- Returns  {connections, fingerprint}

return {redis.call('SCARD', KEYS[1]) + redis.call('SCARD', KEYS[2]),
	tonumber(redis.call('GET', KEYS[3]) or '0')}
