// The Cohort dashboard: reads <path>/api/* and draws the page with the DOM API only.
// Everything that comes from the cluster (job arguments, exception messages, names) is
// untrusted: it goes into the page as text nodes (textContent), never as markup.
(() => {
	'use strict';

	const SVG = 'http://www.w3.org/2000/svg';
	const REFRESH_MILLIS = 5000;
	const PAGE_SIZE = 20;
	// The lists of a queue that are paged through queues/{queue}/{list}?from=&count=.
	const PAGED = ['waiting', 'delayed', 'failed'];

	const state = {
		session: null,
		overview: null,
		queue: null,
		window: 'hour',
		// The first job shown of each paged list, and its count at the last read.
		from: { waiting: 0, delayed: 0, failed: 0 },
		total: { waiting: 0, delayed: 0, failed: 0 },
		paused: false,
		selected: new Set(),
		node: null,
		room: null,
		timer: null,
		busy: false,
	};

	const $ = (id) => document.getElementById(id);

	// --- Building the DOM -------------------------------------------------------------

	/** An element with attributes and children; strings become text nodes. */
	function el(tag, attributes, ...children) {
		const element = document.createElement(tag);
		for (const [name, value] of Object.entries(attributes || {})) {
			if (value === undefined || value === null || value === false) {
				continue;
			}
			if (name === 'class') {
				element.className = value;
			}
			else if (name === 'onclick') {
				element.addEventListener('click', value);
			}
			else if (name.startsWith('data-')) {
				element.setAttribute(name, String(value));
			}
			else {
				element[name] = value;
			}
		}
		append(element, children);
		return element;
	}

	function append(parent, children) {
		for (const child of children.flat()) {
			if (child === undefined || child === null) {
				continue;
			}
			parent.appendChild(child instanceof Node ? child : document.createTextNode(String(child)));
		}
	}

	function svg(tag, attributes, ...children) {
		const element = document.createElementNS(SVG, tag);
		for (const [name, value] of Object.entries(attributes || {})) {
			element.setAttribute(name, String(value));
		}
		append(element, children);
		return element;
	}

	function fill(tbody, rows, columns, emptyText) {
		tbody.replaceChildren(...rows);
		if (rows.length === 0) {
			tbody.appendChild(el('tr', {}, el('td', { class: 'empty', colSpan: columns }, emptyText)));
		}
	}

	const number = (value) => el('td', { class: 'number' }, String(value ?? 0));

	const classes = (...names) => names.filter(Boolean).join(' ');

	const pausedBadge = () => el('span', { class: 'badge paused', title: 'Paused until it is resumed' }, 'paused');

	function button(text, onclick, extra) {
		return el('button', Object.assign({ type: 'button', onclick }, extra || {}), text);
	}

	// --- Formatting -------------------------------------------------------------------

	function time(value) {
		if (!value) {
			return '–';
		}
		const date = new Date(value);
		return Number.isNaN(date.getTime()) ? String(value) : date.toLocaleString();
	}

	function ago(value) {
		if (!value) {
			return '–';
		}
		const seconds = (Date.now() - new Date(value).getTime()) / 1000;
		if (Number.isNaN(seconds)) {
			return String(value);
		}
		return seconds < 0 ? 'in ' + span(-seconds) : span(seconds) + ' ago';
	}

	/** A duration, sent as seconds or as ISO-8601 (PT1M2.5S), as text. */
	function duration(value) {
		if (value === null || value === undefined) {
			return '–';
		}
		if (typeof value === 'number') {
			return span(value);
		}
		const match = /^PT(?:(\d+)H)?(?:(\d+)M)?(?:([\d.]+)S)?$/.exec(String(value));
		if (!match) {
			return String(value);
		}
		return span((+(match[1] || 0)) * 3600 + (+(match[2] || 0)) * 60 + (+(match[3] || 0)));
	}

	function span(seconds) {
		if (seconds < 1) {
			return Math.round(seconds * 1000) + ' ms';
		}
		if (seconds < 90) {
			return Math.round(seconds) + ' s';
		}
		if (seconds < 5400) {
			return Math.round(seconds / 60) + ' min';
		}
		if (seconds < 172800) {
			return Math.round(seconds / 3600) + ' h';
		}
		return Math.round(seconds / 86400) + ' d';
	}

	const args = (value) => el('td', { class: 'args mono' }, value === null || value === undefined ? '–' : value);

	// --- Talking to the API -------------------------------------------------------------

	class ApiError extends Error {
		constructor(status, message) {
			super(message);
			this.status = status;
		}
	}

	async function request(method, path, body) {
		const headers = { Accept: 'application/json' };
		if (method !== 'GET') {
			headers[state.session.writeHeader] = '1';
			if (state.session.headerName) {
				headers[state.session.headerName] = state.session.token;
			}
			if (body !== undefined) {
				headers['Content-Type'] = 'application/json';
			}
		}
		const response = await fetch('api/' + path, {
			method,
			headers,
			credentials: 'same-origin',
			redirect: 'manual',
			body: body === undefined ? undefined : JSON.stringify(body),
		});
		if (response.type === 'opaqueredirect' || response.status === 401) {
			throw new ApiError(401, 'Your session has ended: reload the page to sign in again.');
		}
		const text = await response.text();
		let json = null;
		try {
			json = text ? JSON.parse(text) : null;
		}
		catch (ex) {
			json = null;
		}
		if (!response.ok) {
			throw new ApiError(response.status, (json && json.message) || ('HTTP ' + response.status));
		}
		return json;
	}

	const get = (path) => request('GET', path);
	const post = (path, body) => request('POST', path, body);
	const enc = encodeURIComponent;

	function showError(error) {
		const box = $('error');
		box.textContent = error ? (error.message || String(error)) : '';
		box.hidden = !error;
	}

	function notice(text) {
		const box = $('notice');
		box.textContent = text;
		box.hidden = !text;
	}

	/** Runs a write, says what it did, and reads the page again. */
	async function write(what, path, body, confirmText) {
		if (confirmText && !window.confirm(confirmText)) {
			return;
		}
		try {
			const result = await post(path, body);
			if (result && 'count' in result) {
				notice(what + ': ' + result.count + ' job' + (result.count === 1 ? '' : 's'));
			}
			else {
				notice(what + (result && result.done ? ': done' : ': nothing to do (it changed meanwhile)'));
			}
			showError(null);
		}
		catch (error) {
			showError(error);
		}
		await refresh();
	}

	// --- Drawing ------------------------------------------------------------------------

	function drawNodes(overview) {
		const running = new Map(overview.workers.map((worker) => [worker.nodeId, worker.running.length]));
		const rows = overview.nodes.map((node) => el('tr', { 'data-id': node.id, class: node.id === state.node ? 'selected' : '' },
			el('td', { class: 'mono' }, node.id, node.id === overview.self ? el('span', { class: 'muted' }, ' (this node)') : null),
			el('td', {}, String(node.role).toLowerCase()),
			el('td', {}, node.host),
			number(node.pid),
			el('td', {}, node.version),
			el('td', { title: time(node.startedAt) }, ago(node.startedAt)),
			el('td', { title: time(node.lastHeartbeat) }, ago(node.lastHeartbeat)),
			number((overview.connectionsPerNode || {})[node.id]),
			number(running.get(node.id)),
			el('td', {}, button('Connections', () => selectNode(node.id), { class: 'link' }))));
		fill($('nodes'), rows, 10, 'No live node');
		$('node-count').textContent = '(' + overview.nodes.length + ')';
	}

	function drawQueues(overview, histories) {
		const rows = overview.queues.map((queue) => el('tr', { 'data-queue': queue.queue,
			class: classes(queue.queue === state.queue && 'selected', queue.paused && 'paused') },
			el('td', {}, button(queue.queue, () => selectQueue(queue.queue), { class: 'link' }), queue.paused ? [' ', pausedBadge()] : null),
			el('td', { class: 'number waiting' }, String(queue.waiting)),
			el('td', { class: 'number delayed' }, String(queue.delayed)),
			el('td', { class: 'number running' }, String(queue.running)),
			el('td', { class: 'number failed-count' + (queue.failed > 0 ? ' nonzero' : '') }, String(queue.failed)),
			el('td', { class: 'number processed' }, String(queue.processed)),
			el('td', { class: 'number failures' }, String(queue.failures)),
			el('td', { class: 'number' }, String(queue.retries)),
			el('td', { class: 'number' }, String(queue.stalls)),
			el('td', {}, duration(queue.oldestWaitingAge)),
			el('td', { class: 'spark' }, histories.has(queue.queue) ? chart(histories.get(queue.queue), 180, 36, false) : '–')));
		fill($('queues'), rows, 11, 'No queue yet: none was ever enqueued to');
		$('queue-count').textContent = '(' + overview.queues.length + ')';
	}

	/**
	 * Done and failed per time slot as stacked bars, in plain SVG. A day (1,440 minutes)
	 * is drawn in slots of 15 minutes, so that every bar stays visible.
	 */
	function chart(history, width, height, withAxes) {
		const minutes = history.minutes || [];
		const perSlot = minutes.length > 120 ? 15 : 1;
		const slots = [];
		for (let i = 0; i < minutes.length; i += perSlot) {
			const group = minutes.slice(i, i + perSlot);
			slots.push({
				start: group[0].start,
				done: group.reduce((sum, minute) => sum + minute.done, 0),
				failed: group.reduce((sum, minute) => sum + minute.failed, 0),
			});
		}
		const left = withAxes ? 36 : 1;
		const bottom = withAxes ? 16 : 1;
		const plotWidth = width - left - 1;
		const plotHeight = height - bottom - 2;
		const max = Math.max(1, ...slots.map((slot) => slot.done + slot.failed));
		const slotWidth = slots.length ? plotWidth / slots.length : plotWidth;
		const image = svg('svg', { class: 'chart', width, height, viewBox: '0 0 ' + width + ' ' + height, role: 'img',
			'data-queue': history.queue, 'data-slots': slots.length });
		image.appendChild(svg('title', {}, history.queue + ': done and failed jobs per '
			+ (perSlot === 1 ? 'minute' : perSlot + ' minutes')));
		image.appendChild(svg('path', { class: 'axis', d: 'M' + left + ' 1 V' + (plotHeight + 1) + ' H' + (width - 1) }));
		slots.forEach((slot, index) => {
			const x = left + index * slotWidth + (slotWidth > 3 ? 0.5 : 0);
			const barWidth = Math.max(0.8, slotWidth - (slotWidth > 3 ? 1 : 0));
			const doneHeight = (slot.done / max) * plotHeight;
			const failedHeight = (slot.failed / max) * plotHeight;
			const tip = time(slot.start) + ': ' + slot.done + ' done, ' + slot.failed + ' failed';
			if (slot.done > 0) {
				image.appendChild(svg('rect', { class: 'bar-done', x, y: plotHeight + 1 - doneHeight, width: barWidth,
					height: doneHeight, 'data-value': slot.done }, svg('title', {}, tip)));
			}
			if (slot.failed > 0) {
				image.appendChild(svg('rect', { class: 'bar-failed', x, y: plotHeight + 1 - doneHeight - failedHeight,
					width: barWidth, height: failedHeight, 'data-value': slot.failed }, svg('title', {}, tip)));
			}
		});
		if (withAxes) {
			image.appendChild(svg('text', { x: left - 4, y: 10, 'text-anchor': 'end' }, String(max)));
			image.appendChild(svg('text', { x: left - 4, y: plotHeight + 1, 'text-anchor': 'end' }, '0'));
			if (slots.length) {
				const label = (value) => new Date(value).toLocaleTimeString([], { hour: '2-digit', minute: '2-digit' });
				image.appendChild(svg('text', { x: left, y: height - 3 }, label(slots[0].start)));
				image.appendChild(svg('text', { x: width - 2, y: height - 3, 'text-anchor': 'end' }, label(slots[slots.length - 1].start)));
			}
		}
		return image;
	}

	/** The queue's details, with a page of each paged list (pages.waiting, …). */
	function drawQueueDetails(details, pages, history) {
		$('queue-details').hidden = false;
		$('queue-name').textContent = state.queue;
		state.paused = details.counts.paused === true;
		$('queue-paused').hidden = !state.paused;
		$('queue-pause').textContent = state.paused ? 'Resume' : 'Pause';
		$('queue-pause').className = state.paused ? 'resume' : 'pause';
		for (const list of PAGED) {
			state.total[list] = details.counts[list];
		}
		$('delete-queue').disabled = details.counts.waiting + details.counts.delayed === 0;
		const box = $('queue-chart');
		box.replaceChildren(chart(history, Math.max(320, box.clientWidth - 14), 180, true));
		$('window-hour').classList.toggle('active', state.window === 'hour');
		$('window-day').classList.toggle('active', state.window === 'day');

		const failedIds = new Set(pages.failed.map((job) => job.id));
		for (const id of [...state.selected]) {
			if (!failedIds.has(id)) {
				state.selected.delete(id);
			}
		}
		const failedRows = pages.failed.map((job) => el('tr', { 'data-id': job.id },
			el('td', {}, el('input', { type: 'checkbox', checked: state.selected.has(job.id), onclick: (event) => {
				if (event.target.checked) {
					state.selected.add(job.id);
				}
				else {
					state.selected.delete(job.id);
				}
				updateSelection();
			} })),
			el('td', { class: 'mono' }, job.id),
			el('td', {}, job.task),
			args(job.args),
			el('td', {}, job.reason),
			number(job.attempts),
			el('td', { class: 'mono' }, job.node),
			el('td', { title: time(job.failedAt) }, ago(job.failedAt)),
			el('td', { class: 'exception' },
				el('div', { class: 'mono' }, job.exception || ''),
				el('div', { class: 'message' }, job.message || ''),
				job.stackTrace ? el('details', {}, el('summary', {}, 'Stack trace'), el('pre', { class: 'stack' }, job.stackTrace)) : null),
			el('td', {},
				button('Retry', () => write('Retried job ' + job.id, 'jobs/' + enc(job.id) + '/retry'), { class: 'retry' }),
				' ',
				button('Delete', () => write('Deleted job ' + job.id, 'jobs/' + enc(job.id) + '/delete', undefined,
					'Delete failed job ' + job.id + ' for good?'), { class: 'danger delete' }))));
		fill($('failed'), failedRows, 10, 'No failed job');
		$('failed-count').textContent = '(' + details.counts.failed + ')';
		drawPager('failed', pages.failed.length);
		$('retry-all').disabled = details.counts.failed === 0;
		$('delete-all').disabled = details.counts.failed === 0;
		updateSelection();

		fill($('running'), details.running.map((job) => el('tr', { 'data-id': job.id },
			el('td', { class: 'mono' }, job.id),
			el('td', {}, job.task),
			args(job.args),
			el('td', { class: 'mono' }, job.node || '–'),
			el('td', { title: time(job.startedAt) }, ago(job.startedAt)),
			el('td', {}, button('Cancel', () => write('Asked job ' + job.id + ' to stop', 'jobs/' + enc(job.id) + '/cancel', undefined,
				'Cancel running job ' + job.id + '?'), { class: 'danger cancel' })))), 6, 'No running job');
		$('running-count').textContent = '(' + details.counts.running + ')';

		fill($('waiting'), pages.waiting.map((job) => el('tr', { 'data-id': job.id },
			el('td', { class: 'mono' }, job.id),
			el('td', {}, job.task),
			args(job.args),
			el('td', { title: time(job.enqueuedAt) }, ago(job.enqueuedAt)),
			el('td', {}, button('Cancel', () => write('Cancelled job ' + job.id, 'jobs/' + enc(job.id) + '/cancel', undefined,
				'Cancel waiting job ' + job.id + '?'), { class: 'danger cancel' })))), 5, 'No waiting job');
		$('waiting-count').textContent = '(' + details.counts.waiting + ')';
		drawPager('waiting', pages.waiting.length);

		fill($('delayed'), pages.delayed.map((job) => el('tr', { 'data-id': job.id },
			el('td', { class: 'mono' }, job.id),
			el('td', {}, job.task),
			args(job.args),
			el('td', { title: time(job.dueAt) }, ago(job.dueAt)),
			el('td', { title: time(job.enqueuedAt) }, ago(job.enqueuedAt)),
			el('td', {}, button('Cancel', () => write('Cancelled job ' + job.id, 'jobs/' + enc(job.id) + '/cancel', undefined,
				'Cancel delayed job ' + job.id + '?'), { class: 'danger cancel' })))), 6, 'No delayed job');
		$('delayed-count').textContent = '(' + details.counts.delayed + ')';
		drawPager('delayed', pages.delayed.length);
	}

	/** A paged list's "21–40 of 95" and its previous and next buttons. */
	function drawPager(list, shown) {
		const from = state.from[list];
		const total = state.total[list];
		$(list + '-page').textContent = total === 0 || shown === 0 ? '' : (from + 1) + '–' + Math.min(from + shown, total) + ' of ' + total;
		$(list + '-previous').disabled = from === 0;
		$(list + '-next').disabled = from + PAGE_SIZE >= total;
	}

	function updateSelection() {
		const none = state.selected.size === 0;
		$('retry-selected').disabled = none;
		$('delete-selected').disabled = none;
		const boxes = document.querySelectorAll('#failed input[type=checkbox]');
		$('select-all-failed').checked = boxes.length > 0 && [...boxes].every((box) => box.checked);
	}

	function drawRecurring(overview) {
		fill($('recurring'), overview.recurring.map((task) => el('tr', { 'data-task': task.task, class: task.paused ? 'paused' : '' },
			el('td', {}, task.task, task.paused ? [' ', pausedBadge()] : null),
			el('td', {}, task.queue),
			el('td', { class: 'mono' }, task.schedule),
			el('td', {}, time(task.lastPeriod)),
			el('td', { title: time(task.nextFire) }, ago(task.nextFire)),
			el('td', { class: 'mono' }, task.leader || 'none'),
			el('td', {}, task.paused
				? button('Resume', () => write('Resumed recurring task ' + task.task, 'recurring/' + enc(task.task) + '/resume'), { class: 'resume' })
				: button('Pause', () => write('Paused recurring task ' + task.task, 'recurring/' + enc(task.task) + '/pause'), { class: 'pause' })))),
		7, 'No recurring task');
	}

	function drawLocks(overview) {
		fill($('locks'), overview.locks.map((lock) => el('tr', { 'data-name': lock.name },
			el('td', { class: 'mono' }, lock.name),
			el('td', { class: 'mono' }, lock.nodeId),
			number(lock.fencingToken),
			el('td', {}, duration(lock.ttl)),
			el('td', {}, button('Release', () => write('Released lock ' + lock.name, 'locks/release?name=' + enc(lock.name), undefined,
				'Release lock ' + lock.name + ', whoever holds it?'), { class: 'danger release' })))), 5, 'No lock held');
	}

	function drawRooms(overview) {
		fill($('rooms'), overview.rooms.map((room) => el('tr', { 'data-name': room.name, class: room.name === state.room ? 'selected' : '' },
			el('td', {}, room.name),
			number(room.members),
			el('td', {}, button('Members', () => selectRoom(room.name), { class: 'link' })))), 3, 'No room');
	}

	function connectionRow(connection) {
		return el('tr', { 'data-id': connection.connectionId },
			el('td', { class: 'mono' }, connection.connectionId),
			el('td', {}, connection.remoteAddress),
			el('td', { title: time(connection.connectedAt) }, ago(connection.connectedAt)),
			el('td', {}, (connection.rooms || []).join(', ')),
			el('td', { class: 'mono args' }, JSON.stringify(connection.attributes || {})),
			el('td', {}, disconnectButton(connection.connectionId)));
	}

	function disconnectButton(connectionId) {
		return button('Disconnect', () => write('Disconnected ' + connectionId, 'connections/' + enc(connectionId) + '/disconnect',
			undefined, 'Disconnect ' + connectionId + '?'), { class: 'danger disconnect' });
	}

	// --- Reading ------------------------------------------------------------------------

	async function refresh() {
		if (state.busy) {
			return;
		}
		state.busy = true;
		try {
			const overview = await get('overview');
			state.overview = overview;
			const histories = new Map();
			await Promise.all(overview.queues.map(async (queue) => {
				histories.set(queue.queue, await get('queues/' + enc(queue.queue) + '/history?window=hour'));
			}));
			$('summary').textContent = overview.nodes.length + ' node' + (overview.nodes.length === 1 ? '' : 's')
				+ ', read by ' + overview.self + ' at ' + time(overview.readAt);
			drawNodes(overview);
			drawQueues(overview, histories);
			drawRecurring(overview);
			drawLocks(overview);
			drawRooms(overview);
			await Promise.all([refreshQueue(), refreshNode(), refreshRoom()]);
			showError(null);
		}
		catch (error) {
			showError(error);
			if (error.status === 401) {
				stopTimer();
			}
		}
		finally {
			state.busy = false;
		}
	}

	async function refreshQueue() {
		if (!state.queue) {
			$('queue-details').hidden = true;
			return;
		}
		const queue = state.queue;
		const [details, history] = await Promise.all([
			get('queues/' + enc(queue) + '?from=0&count=' + PAGE_SIZE).catch((error) => {
				if (error.status === 404) {
					return null;
				}
				throw error;
			}),
			get('queues/' + enc(queue) + '/history?window=' + state.window)]);
		if (!details) {
			state.queue = null;
			$('queue-details').hidden = true;
			return;
		}
		// The details hold the first page of each list; a later page is read on its own,
		// from a page that still exists (the list may have shrunk since the last read).
		const pages = {};
		await Promise.all(PAGED.map(async (list) => {
			const lastPage = Math.max(0, Math.ceil(details.counts[list] / PAGE_SIZE) - 1) * PAGE_SIZE;
			const from = Math.min(state.from[list], lastPage);
			state.from[list] = from;
			pages[list] = from === 0 ? details[list]
				: await get('queues/' + enc(queue) + '/' + list + '?from=' + from + '&count=' + PAGE_SIZE);
		}));
		drawQueueDetails(details, pages, history);
	}

	async function refreshNode() {
		if (!state.node) {
			$('node-details').hidden = true;
			return;
		}
		const details = await get('nodes/' + enc(state.node)).catch((error) => (error.status === 404 ? null : Promise.reject(error)));
		if (!details) {
			state.node = null;
			$('node-details').hidden = true;
			return;
		}
		$('node-details').hidden = false;
		$('node-details-id').textContent = state.node;
		fill($('connections'), details.connections.map(connectionRow), 6, 'No connection on this node');
	}

	async function refreshRoom() {
		if (!state.room) {
			$('room-details').hidden = true;
			return;
		}
		const details = await get('room?name=' + enc(state.room)).catch((error) => (error.status === 404 ? null : Promise.reject(error)));
		if (!details) {
			state.room = null;
			$('room-details').hidden = true;
			return;
		}
		$('room-details').hidden = false;
		$('room-name').textContent = state.room;
		fill($('room-members'), details.members.map((member) => el('tr', { 'data-id': member.connectionId },
			el('td', { class: 'mono' }, member.connectionId),
			el('td', { class: 'mono' }, member.nodeId),
			el('td', { title: time(member.joinedAt) }, ago(member.joinedAt)),
			el('td', {}, disconnectButton(member.connectionId)))), 4, 'No member');
	}

	function selectQueue(queue) {
		if (state.queue !== queue) {
			state.selected.clear();
			for (const list of PAGED) {
				state.from[list] = 0;
			}
		}
		state.queue = queue;
		refresh();
	}

	function selectNode(nodeId) {
		state.node = state.node === nodeId ? null : nodeId;
		refresh();
	}

	function selectRoom(room) {
		state.room = state.room === room ? null : room;
		refresh();
	}

	function startTimer() {
		stopTimer();
		state.timer = window.setInterval(refresh, REFRESH_MILLIS);
	}

	function stopTimer() {
		if (state.timer) {
			window.clearInterval(state.timer);
			state.timer = null;
		}
	}

	function wire() {
		$('refresh').addEventListener('click', refresh);
		$('auto-refresh').addEventListener('change', (event) => (event.target.checked ? startTimer() : stopTimer()));
		$('window-hour').addEventListener('click', () => { state.window = 'hour'; refresh(); });
		$('window-day').addEventListener('click', () => { state.window = 'day'; refresh(); });
		for (const list of PAGED) {
			$(list + '-previous').addEventListener('click', () => { state.from[list] = Math.max(0, state.from[list] - PAGE_SIZE); refresh(); });
			$(list + '-next').addEventListener('click', () => { state.from[list] += PAGE_SIZE; refresh(); });
		}
		$('queue-pause').addEventListener('click', () => (state.paused
			? write('Resumed queue ' + state.queue, 'queues/' + enc(state.queue) + '/resume')
			: write('Paused queue ' + state.queue, 'queues/' + enc(state.queue) + '/pause')));
		$('delete-queue').addEventListener('click', () => write('Deleted the waiting and delayed jobs of ' + state.queue,
			'queues/' + enc(state.queue) + '/jobs/delete-all', undefined,
			'Delete all ' + state.total.waiting + ' waiting and ' + state.total.delayed + ' delayed jobs of ' + state.queue
				+ ' for good? Running and failed jobs stay.'));
		$('select-all-failed').addEventListener('click', (event) => {
			document.querySelectorAll('#failed tr[data-id]').forEach((row) => {
				if (event.target.checked) {
					state.selected.add(row.dataset.id);
				}
				else {
					state.selected.delete(row.dataset.id);
				}
				row.querySelector('input[type=checkbox]').checked = event.target.checked;
			});
			updateSelection();
		});
		$('retry-selected').addEventListener('click', () => write('Retried the selected jobs',
			'jobs/retry', { jobIds: [...state.selected] }));
		$('delete-selected').addEventListener('click', () => write('Deleted the selected jobs',
			'jobs/delete', { jobIds: [...state.selected] },
			'Delete the ' + state.selected.size + ' selected failed jobs for good?'));
		$('retry-all').addEventListener('click', () => write('Retried every failed job',
			'queues/' + enc(state.queue) + '/failed/retry-all', undefined,
			'Retry all ' + state.total.failed + ' failed jobs of ' + state.queue + '?'));
		$('delete-all').addEventListener('click', () => write('Deleted every failed job',
			'queues/' + enc(state.queue) + '/failed/delete-all', undefined,
			'Delete all ' + state.total.failed + ' failed jobs of ' + state.queue + ' for good?'));
	}

	async function start() {
		wire();
		try {
			state.session = await get('csrf');
			$('user').textContent = state.session.user;
		}
		catch (error) {
			showError(error);
			return;
		}
		const queue = new URLSearchParams(window.location.search).get('queue');
		if (queue) {
			state.queue = queue;
		}
		await refresh();
		document.body.dataset.ready = 'true';
		startTimer();
	}

	window.cohortDashboard = { refresh, state };
	start();
})();
