// The chat page's script (see chat.html): one CohortClient, the room in the #room field,
// messages as they come, and the members of the room shown, refreshed on join and leave.
// Others are shown by their users (the names they signed in with): the server sends no
// other connection's id. Events about this page's own connection carry its id, which tells
// its own messages and its own entry in the members.
(function () {
	'use strict';

	const $ = (id) => document.getElementById(id);
	const client = new CohortClient();
	let shownRoom = null; // the room whose members are listed

	function text(value) {
		return typeof value === 'string' ? value : JSON.stringify(value);
	}

	function showError(error) {
		$('error').textContent = error ? (error.code ? error.code + ': ' : '') + error.message : '';
	}

	function setStatus(state, label) {
		$('status').dataset.state = state;
		$('status').textContent = label;
	}

	function addMessage(item) {
		const list = $('messages');
		const atBottom = list.scrollTop + list.clientHeight >= list.scrollHeight - 4;
		list.appendChild(item);
		if (atBottom) {
			list.scrollTop = list.scrollHeight;
		}
	}

	function addSystemMessage(value) {
		const item = document.createElement('li');
		item.className = 'system';
		item.textContent = value;
		addMessage(item);
	}

	function showJoinedRooms() {
		$('joined-rooms').textContent = client.rooms.join(', ') || '(none)';
	}

	async function refreshMembers(room) {
		shownRoom = room;
		$('members-room').textContent = room;
		try {
			const view = await client.roomView(room);
			if (shownRoom !== room) {
				return;
			}
			const list = $('members');
			list.replaceChildren(...view.members.map((member) => {
				const item = document.createElement('li');
				item.dataset.user = member.user ?? '';
				const you = member.connectionId !== undefined && member.connectionId === client.connectionId;
				item.textContent = (member.user ?? 'anonymous') + (you ? ' (you)' : '');
				return item;
			}));
		}
		catch (error) {
			showError(error);
		}
	}

	async function join(room) {
		try {
			await client.join(room);
			showError(null);
			showJoinedRooms();
			await refreshMembers(room);
		}
		catch (error) {
			showError(error);
		}
	}

	client.on('welcome', (welcome) => {
		$('user').textContent = welcome.user ?? 'nobody (anonymous)';
		$('connection-id').textContent = welcome.connectionId;
		$('node-id').textContent = welcome.nodeId;
		setStatus('connected', 'connected');
	});
	client.on('reconnecting', (event) => {
		setStatus('reconnecting', 'reconnecting (attempt ' + event.attempt + ', in ' + event.delay + ' ms)…');
	});
	client.on('reconnected', (event) => {
		addSystemMessage('reconnected; re-joining ' + (event.rooms.join(', ') || 'no room'));
		event.rejoined.then(() => {
			showJoinedRooms();
			if (shownRoom) {
				refreshMembers(shownRoom);
			}
		});
	});
	client.on('close', (event) => {
		setStatus('closed', event.booted ? 'disconnected by the server' : 'closed');
		showJoinedRooms();
	});
	client.on('disconnect', (event) => addSystemMessage('disconnected by the server: ' + event.reason));
	client.on('error', showError);
	client.on('message', (event) => addSystemMessage('server: ' + text(event.message)));
	client.on('say', (say) => {
		const item = document.createElement('li');
		item.className = 'message';
		item.dataset.room = say.room;
		// No user: the server said it (ChatRooms.broadcast); anonymous clients cannot connect
		// here (cluster.connections.require-authentication).
		item.dataset.from = say.user ?? '';
		const from = document.createElement('span');
		from.className = 'from';
		const mine = say.from !== undefined && say.from === client.connectionId;
		const who = say.user == null ? 'server' : say.user + (mine ? ' (you)' : '');
		from.textContent = '[' + say.room + '] ' + who + ': ';
		const body = document.createElement('span');
		body.className = 'text';
		body.textContent = text(say.message);
		item.append(from, body);
		addMessage(item);
	});
	for (const event of ['join', 'leave']) {
		client.on(event, (change) => {
			if (change.connectionId !== client.connectionId) {
				addSystemMessage((change.user ?? 'someone') + (event === 'join' ? ' joined ' : ' left ') + change.room);
			}
			showJoinedRooms();
			if (change.room === shownRoom && event === 'leave' && change.connectionId === client.connectionId) {
				// Only members may view a room: once out of it, there is nothing to refresh.
				shownRoom = null;
				$('members-room').textContent = '-';
				$('members').replaceChildren();
			}
			else if (change.room === shownRoom) {
				refreshMembers(change.room);
			}
		});
	}

	$('room-form').addEventListener('submit', (event) => {
		event.preventDefault();
		const room = $('room').value.trim();
		if (room) {
			join(room);
		}
	});
	$('leave').addEventListener('click', async () => {
		const room = $('room').value.trim();
		try {
			await client.leave(room);
			showError(null);
			showJoinedRooms();
			if (room === shownRoom) {
				shownRoom = null;
				$('members-room').textContent = '-';
				$('members').replaceChildren();
			}
		}
		catch (error) {
			showError(error);
		}
	});
	$('message-form').addEventListener('submit', async (event) => {
		event.preventDefault();
		const room = $('room').value.trim();
		const message = $('message').value;
		if (!room || !message) {
			return;
		}
		try {
			await client.say(room, message);
			$('message').value = '';
			showError(null);
		}
		catch (error) {
			showError(error);
		}
	});

	showJoinedRooms();
	const requested = new URLSearchParams(location.search).get('room');
	if (requested) {
		$('room').value = requested;
	}
	client.connect().then(() => requested && join(requested), showError);
	window.cohortChat = client; // for the browser's console
})();
