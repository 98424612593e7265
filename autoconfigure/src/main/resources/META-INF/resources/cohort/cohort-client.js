/**
 * CohortClient: the browser client of Cohort's WebSocket protocol (v1), served by the starter
 * at /cohort/cohort-client.js. Plain JavaScript, no dependencies; defines one global,
 * `CohortClient`.
 *
 *   const client = new CohortClient();            // ws(s)://<this host>/cohort/ws
 *   client.on('say', (e) => console.log(e.room, e.user, e.message));
 *   const id = await client.connect();            // resolved by the server's `welcome`
 *   await client.join('lobby');                   // resolved by the matching `response`
 *   await client.say('lobby', { text: 'hello' }); // the say comes back as a 'say' event too
 *
 * Constructor: `new CohortClient(url?, options?)` (or `new CohortClient(options)`), options:
 * - minDelay (250 ms), maxDelay (10 000 ms): the reconnect back-off, doubled per failed attempt
 * - jitter (0.5): each delay is stretched by a random part of up to this fraction, capped at maxDelay
 * - requestTimeout (10 000 ms): how long a request waits for its response or error
 * - reconnect (true): reconnect after the connection drops
 * - onWelcome (none): a function called with {connectionId, nodeId, secret, user} after each
 *   (re)connection's welcome, before connect() resolves and before the rooms are re-joined;
 *   if it returns a Promise, the client waits for it. Sign the connection in here (send the
 *   id and the secret to your server), so that a reconnection re-joins only once signed in.
 *   A hook that throws or rejects is emitted as an 'error' (code `on-welcome-failed`, unless
 *   the error has its own), and the client goes on.
 *
 * Requests `join(room)`, `leave(room)`, `say(room, message)`, `details()` and `roomView(room)`
 * return Promises resolved with the response's `data`, or rejected with an Error whose `code`
 * is the server's error code (`no-such-room`, `not-member`, ...), or `timeout`,
 * `not-connected` (sent while not connected), `disconnected` (the connection dropped before
 * the answer) or `closed` (close() was called).
 * `roomView(room)` resolves {room, members}, each member {user, joinedAt}; this client's own
 * member also has its connectionId and nodeId (every member has them with the server's
 * cluster.connections.show-connection-ids).
 *
 * Events, `on(event, handler)` / `off(event, handler)`; each handler gets one object:
 * - 'welcome' {connectionId, nodeId, secret, user}: after each (re)connection. `secret` is known only
 *   to this connection's client: the server's sign-in needs it (ConnectionOperation.signIn); never
 *   show it or send it to anyone but your own server. `user` is the name of the principal the
 *   handshake authenticated (e.g. Spring Security's), null for an anonymous connection
 * - 'say' {room, user, message, sentAt}, 'join' {room, user}, 'leave' {room, user}: `user` is the
 *   sender's, joiner's or leaver's user (null for an anonymous connection, and for the server's
 *   own messages, ChatRooms.broadcast). Other clients' connection ids are not shown: an event
 *   about this client's own connection also has its id (`from` of a say, `connectionId` of a join
 *   or leave), so `e.from === client.connectionId` tells its own messages; with the server's
 *   cluster.connections.show-connection-ids every event has them
 * - 'message' {message}: the server sent this connection a message
 * - 'disconnect' {reason}: the server is booting this connection; the client will not reconnect
 * - 'error': an Error (with .code) that no request is waiting for (e.g. `too-large`,
 *   `malformed`, or a room that could not be re-joined after a reconnection)
 * - 'reconnecting' {attempt, delay, code, reason}: the connection dropped; next try in `delay` ms
 * - 'reconnected' {connectionId, nodeId, secret, rooms, rejoined}: connected again (and onWelcome
 *   done); `rooms` are being re-joined, and `rejoined` (a Promise, never rejected) settles when
 *   each has been answered
 * - 'close' {code, reason, booted}: the client is closed for good (close(), booted, or no reconnect)
 *
 * `connect()` retries with back-off until the first `welcome` (unless reconnect is false, then
 * the first failure rejects it). After a reconnection the client re-joins the rooms it had
 * joined; the server gives it a new connection id. `close()` closes and stops reconnecting.
 */
(function (global) {
	'use strict';

	const DEFAULTS = { minDelay: 250, maxDelay: 10000, jitter: 0.5, requestTimeout: 10000, reconnect: true };

	function failure(code, message) {
		const error = new Error(message || code);
		error.code = code;
		return error;
	}

	class CohortClient {

		constructor(url, options) {
			if (url && typeof url === 'object') {
				options = url;
				url = undefined;
			}
			this.url = url || CohortClient.defaultUrl();
			this.options = Object.assign({}, DEFAULTS, options);
			this.connectionId = this.nodeId = this.secret = this.user = null;
			this._ws = this._timer = null;
			this._handlers = new Map();
			this._pending = new Map(); // requestId -> {resolve, reject, timer}
			this._rooms = new Set();
			this._nextRequest = 1;
			this._attempt = 0; // failed attempts since the last welcome
			this._waiter = null; // {promise, resolve, reject} of connect(), until a welcome
			this._welcomed = false; // a welcome came on an earlier socket: the next is a reconnection
			this._stopped = true;
		}

		/** The default endpoint: this page's host, ws: or wss: as the page's protocol. */
		static defaultUrl(path = '/cohort/ws') {
			const location = global.location;
			return (location.protocol === 'https:' ? 'wss://' : 'ws://') + location.host + path;
		}

		/**
		 * The URL with `batch=1`: this client takes several frames in one message, one per
		 * line, which the server sends when frames wait for it.
		 */
		static _withBatches(url) {
			if (/[?&]batch=/.test(url)) {
				return url;
			}
			return url + (url.includes('?') ? '&' : '?') + 'batch=1';
		}

		/** True between a `welcome` and the connection's end. */
		get connected() {
			return this.connectionId !== null;
		}

		/** The rooms this client has joined (and re-joins after a reconnection). */
		get rooms() {
			return Array.from(this._rooms);
		}

		connect() {
			if (this.connected) {
				return Promise.resolve(this.connectionId);
			}
			if (!this._waiter) {
				const waiter = {};
				waiter.promise = new Promise((resolve, reject) => Object.assign(waiter, { resolve, reject }));
				this._waiter = waiter;
			}
			if (this._stopped) {
				this._stopped = false;
				this._attempt = 0;
				this._open();
			}
			return this._waiter.promise;
		}

		join(room) {
			return this._request('roomJoin', { room }).then((data) => {
				this._rooms.add(room);
				return data;
			});
		}

		leave(room) {
			return this._request('roomLeave', { room }).then((data) => {
				this._rooms.delete(room);
				return data;
			}, (error) => {
				if (error.code === 'not-member') {
					this._rooms.delete(room);
				}
				throw error;
			});
		}

		say(room, message) {
			return this._request('say', { room, message });
		}

		details() {
			return this._request('detailsView', {});
		}

		roomView(room) {
			return this._request('roomView', { room });
		}

		on(event, handler) {
			if (!this._handlers.has(event)) {
				this._handlers.set(event, new Set());
			}
			this._handlers.get(event).add(handler);
			return this;
		}

		off(event, handler) {
			const handlers = this._handlers.get(event);
			if (handlers) {
				handler ? handlers.delete(handler) : handlers.clear();
			}
			return this;
		}

		/** Close the connection and stop reconnecting; pending requests fail with `closed`. */
		close() {
			const wasStopped = this._stopped;
			this._stopped = true;
			clearTimeout(this._timer);
			this._timer = null;
			const ws = this._ws;
			this._ws = null;
			if (ws && ws.readyState <= WebSocket.OPEN) {
				ws.close(1000, 'client closed');
			}
			if (!wasStopped || ws) {
				this._ended(failure('closed', 'the client was closed'), { code: 1000, reason: 'client closed', booted: false });
			}
		}

		_open() {
			const ws = new WebSocket(CohortClient._withBatches(this.url));
			this._ws = ws;
			let booted = false;
			ws.onmessage = (message) => {
				if (ws !== this._ws) {
					return;
				}
				// One frame per line: the server puts frames that waited together in one
				// message (batch=1 on the URL); JSON text has no line breaks of its own.
				for (const line of String(message.data).split('\n')) {
					let frame;
					try {
						frame = JSON.parse(line);
					}
					catch (e) {
						this._emit('error', failure('malformed', 'the server sent a frame that is not JSON'));
						continue;
					}
					if (frame && frame.event === 'disconnect') {
						booted = true;
					}
					this._receive(frame || {});
					if (ws !== this._ws) {
						return;
					}
				}
			};
			ws.onclose = (close) => {
				if (ws !== this._ws) {
					return; // close() ran, or a newer socket replaced this one
				}
				this._ws = null;
				this.connectionId = this.secret = null;
				this._failPending(failure('disconnected', 'the connection closed before the answer'));
				if (booted || !this.options.reconnect || this._stopped) {
					this._stopped = true;
					this._ended(failure(booted ? 'disconnected' : 'closed', 'the connection closed'),
							{ code: close.code, reason: close.reason, booted });
					return;
				}
				const base = Math.min(this.options.maxDelay, this.options.minDelay * Math.pow(2, this._attempt));
				const delay = Math.round(Math.min(this.options.maxDelay, base * (1 + this.options.jitter * Math.random())));
				this._attempt++;
				this._emit('reconnecting', { attempt: this._attempt, delay, code: close.code, reason: close.reason });
				this._timer = setTimeout(() => {
					this._timer = null;
					if (!this._stopped) {
						this._open();
					}
				}, delay);
			};
		}

		_receive(frame) {
			switch (frame.event) {
				case 'welcome': {
					this.connectionId = frame.connectionId;
					this.nodeId = frame.nodeId;
					this.secret = frame.secret || null;
					this.user = frame.user ?? null;
					this._attempt = 0;
					const reconnected = this._welcomed;
					this._welcomed = true;
					const welcome = { connectionId: frame.connectionId, nodeId: frame.nodeId, secret: this.secret, user: this.user };
					this._emit('welcome', welcome);
					const ws = this._ws;
					this._onWelcome(welcome).then(() => {
						if (ws !== this._ws || this.connectionId !== welcome.connectionId) {
							return; // it dropped meanwhile: the next welcome starts over
						}
						if (this._waiter) {
							this._waiter.resolve(welcome.connectionId);
							this._waiter = null;
						}
						if (reconnected) {
							this._rejoin(welcome);
						}
					});
					break;
				}
				case 'response':
				case 'error': {
					const pending = frame.requestId != null && this._pending.get(frame.requestId);
					const error = frame.event === 'error' && failure(frame.error || 'error', frame.message || frame.error);
					if (error) {
						Object.assign(error, { request: frame.request, requestId: frame.requestId });
					}
					if (!pending) {
						if (error) {
							this._emit('error', error);
						}
						break;
					}
					this._pending.delete(frame.requestId);
					clearTimeout(pending.timer);
					error ? pending.reject(error) : pending.resolve(frame.data);
					break;
				}
				case 'join':
				case 'leave':
					// Only the events about this client's own connection carry its id (unless the
					// server shows every connection id).
					if (frame.connectionId === this.connectionId) {
						frame.event === 'join' ? this._rooms.add(frame.room) : this._rooms.delete(frame.room);
					}
				// falls through: these, say, message and disconnect reach the handlers as they came
				case 'say':
				case 'message':
				case 'disconnect': {
					const { event, ...fields } = frame;
					this._emit(event, fields);
					break;
				}
				default:
					break; // an event of a later protocol version: ignored
			}
		}

		/** Runs the onWelcome option, if any; the Promise never rejects. */
		_onWelcome(welcome) {
			const hook = this.options.onWelcome;
			if (typeof hook !== 'function') {
				return Promise.resolve();
			}
			return Promise.resolve()
				.then(() => hook.call(this, welcome))
				.catch((e) => {
					const error = failure((e && e.code) || 'on-welcome-failed', 'onWelcome failed: ' + ((e && e.message) || e));
					this._emit('error', error);
				});
		}

		_rejoin(welcome) {
			const rooms = this.rooms;
			const rejoin = (room) => this._request('roomJoin', { room }).then(() => room, (error) => {
				if (error.code === 'disconnected' || error.code === 'closed') {
					return null; // the next welcome, if any, re-joins it again
				}
				if (error.code === 'no-such-room') {
					this._rooms.delete(room);
				}
				error.message = 'could not re-join ' + room + ': ' + error.message;
				this._emit('error', error);
				return null;
			});
			const rejoined = Promise.all(rooms.map(rejoin));
			this._emit('reconnected', { connectionId: welcome.connectionId, nodeId: welcome.nodeId, secret: welcome.secret, rooms, rejoined });
		}

		_request(event, fields) {
			const ws = this._ws;
			if (!ws || ws.readyState !== WebSocket.OPEN || !this.connected) {
				return Promise.reject(failure('not-connected', 'not connected'));
			}
			const requestId = String(this._nextRequest++);
			return new Promise((resolve, reject) => {
				const timer = setTimeout(() => {
					this._pending.delete(requestId);
					reject(failure('timeout', event + ' got no answer in ' + this.options.requestTimeout + ' ms'));
				}, this.options.requestTimeout);
				this._pending.set(requestId, { resolve, reject, timer });
				ws.send(JSON.stringify(Object.assign({ event, requestId }, fields)));
			});
		}

		_failPending(error) {
			const pending = Array.from(this._pending.values());
			this._pending.clear();
			for (const request of pending) {
				clearTimeout(request.timer);
				request.reject(error);
			}
		}

		_ended(error, event) {
			this.connectionId = this.secret = null;
			this._rooms.clear();
			this._welcomed = false;
			this._failPending(error);
			if (this._waiter) {
				this._waiter.reject(error);
				this._waiter = null;
			}
			this._emit('close', event);
		}

		_emit(event, value) {
			const handlers = this._handlers.get(event);
			for (const handler of handlers ? Array.from(handlers) : []) {
				try {
					handler.call(this, value);
				}
				catch (e) {
					console.error('CohortClient: a ' + event + ' handler failed', e);
				}
			}
		}

	}

	global.CohortClient = CohortClient;
})(typeof window !== 'undefined' ? window : globalThis);
