// The playground: every POST route of the hub's OpenAPI document as a form generated from
// its JSON Schema. A call runs as a task (`?async=true`) so its progress arrives live over
// the WebSocket; an audio answer is played, offered for download and drawn by the hub's own
// /api/audio/waveform and /api/audio/spectrogram. The key lives in sessionStorage: this tab
// only, gone when it closes. No framework, no build step.
const KEY_STORE = 'hub-playground-api-key';
const $ = (id) => document.getElementById(id);

let openapi;
const operations = [];
const objectUrls = [];

function apiKey() {
  return $('api-key').value.trim();
}

function headers() {
  const key = apiKey();
  return key ? { 'X-API-Key': key } : {};
}

function setStatus(text, error = false) {
  $('status').textContent = text;
  $('status').classList.toggle('error', error);
}

/** Follows `$ref`s into the document's components. */
function resolve(schema) {
  let s = schema;
  while (s && s.$ref) s = s.$ref.replace(/^#\//, '').split('/').reduce((node, part) => node[part], openapi);
  return s ?? {};
}

/** The value a person starts from: the schema's example, else its default. */
function startValue(schema, example) {
  if (example !== undefined) return example;
  if (Array.isArray(schema.examples) && schema.examples.length) return schema.examples[0];
  if (schema.example !== undefined) return schema.example;
  return schema.default;
}

// 1. The routes: POST operations without path parameters, with a form or JSON body.
function collectOperations() {
  for (const [path, item] of Object.entries(openapi.paths)) {
    const op = item.post;
    if (!op || path.includes('{') || !op.requestBody) continue;
    const content = op.requestBody.content ?? {};
    const type = content['multipart/form-data'] ? 'multipart/form-data' : content['application/json'] ? 'application/json' : undefined;
    if (!type) continue;
    operations.push({ path, op, type, schema: resolve(content[type].schema), example: content[type].example ?? {} });
  }
  operations.sort((a, b) => (a.op.tags?.[0] ?? '').localeCompare(b.op.tags?.[0] ?? '') || a.path.localeCompare(b.path));
  const select = $('route');
  select.replaceChildren(
    ...operations.map((o, i) => {
      const option = document.createElement('option');
      option.value = String(i);
      option.textContent = `${o.op.tags?.[0] ?? 'Other'} — POST ${o.path}`;
      return option;
    }),
  );
}

// 2. A form for one route, generated from its schema.
function fieldFor(name, schemaIn, required, example) {
  const schema = resolve(schemaIn);
  const label = document.createElement('label');
  label.dataset.field = name;
  const title = document.createElement('span');
  title.textContent = name;
  if (required) title.className = 'required';
  label.append(title);
  let input;
  const start = startValue(schema, example);
  if (schema.type === 'string' && schema.format === 'binary') {
    input = document.createElement('input');
    input.type = 'file';
    input.accept = 'audio/*,.npy';
    label.append(input, recorderFor(input));
  } else if (Array.isArray(schema.enum)) {
    input = document.createElement('select');
    if (!required) input.append(new Option('(default)', ''));
    for (const value of schema.enum) input.append(new Option(String(value), String(value)));
    input.value = start === undefined ? '' : String(start);
    label.append(input);
  } else if (schema.type === 'boolean') {
    input = document.createElement('input');
    input.type = 'checkbox';
    input.checked = start === true;
    label.append(input);
  } else if (schema.type === 'integer' || schema.type === 'number') {
    input = document.createElement('input');
    input.type = 'number';
    input.step = schema.type === 'integer' ? '1' : 'any';
    if (schema.minimum !== undefined) input.min = String(schema.minimum);
    if (schema.maximum !== undefined) input.max = String(schema.maximum);
    input.value = start === undefined ? '' : String(start);
    label.append(input);
  } else if (schema.type === 'string' && (schema.maxLength ?? 0) > 200) {
    input = document.createElement('textarea');
    input.value = start ?? '';
    label.append(input);
  } else {
    input = document.createElement('input');
    input.type = 'text';
    input.value = start === undefined ? '' : typeof start === 'string' ? start : JSON.stringify(start);
    label.append(input);
  }
  input.name = name;
  input.dataset.kind = schema.format === 'binary' ? 'file' : (schema.type ?? 'string');
  if (schema.description) {
    const hint = document.createElement('span');
    hint.className = 'hint';
    hint.textContent = schema.description;
    label.append(hint);
  }
  return label;
}

function showOperation() {
  const o = operations[Number($('route').value)];
  if (!o) return;
  $('route-summary').textContent = o.op.summary ?? '';
  const required = new Set(o.schema.required ?? []);
  $('fields').replaceChildren(...Object.entries(o.schema.properties ?? {}).map(([name, s]) => fieldFor(name, s, required.has(name), o.example[name])));
}

// 3. The microphone: MediaRecorder's webm is not an upload format, so the recording is
// decoded by the browser and sent as a 16-bit WAV.
function recorderFor(fileInput) {
  const button = document.createElement('button');
  button.type = 'button';
  button.className = 'secondary';
  button.textContent = '● Record';
  let recorder;
  button.addEventListener('click', async () => {
    if (recorder && recorder.state === 'recording') {
      recorder.stop();
      return;
    }
    let stream;
    try {
      stream = await navigator.mediaDevices.getUserMedia({ audio: true });
    } catch (error) {
      setStatus(`microphone: ${error.message}`, true);
      return;
    }
    const chunks = [];
    recorder = new MediaRecorder(stream);
    recorder.ondataavailable = (event) => chunks.push(event.data);
    recorder.onstop = async () => {
      stream.getTracks().forEach((t) => t.stop());
      button.textContent = '● Record';
      const decoded = await new AudioContext().decodeAudioData(await new Blob(chunks).arrayBuffer());
      const file = new File([wavOf(decoded)], 'recording.wav', { type: 'audio/wav' });
      const list = new DataTransfer();
      list.items.add(file);
      fileInput.files = list.files;
      setStatus(`recorded ${decoded.duration.toFixed(1)} s`);
    };
    recorder.start();
    button.textContent = '■ Stop';
  });
  return button;
}

function wavOf(buffer) {
  const samples = buffer.getChannelData(0);
  const bytes = new DataView(new ArrayBuffer(44 + samples.length * 2));
  const text = (at, s) => [...s].forEach((c, i) => bytes.setUint8(at + i, c.charCodeAt(0)));
  text(0, 'RIFF');
  bytes.setUint32(4, 36 + samples.length * 2, true);
  text(8, 'WAVEfmt ');
  bytes.setUint32(16, 16, true);
  bytes.setUint16(20, 1, true);
  bytes.setUint16(22, 1, true);
  bytes.setUint32(24, buffer.sampleRate, true);
  bytes.setUint32(28, buffer.sampleRate * 2, true);
  bytes.setUint16(32, 2, true);
  bytes.setUint16(34, 16, true);
  text(36, 'data');
  bytes.setUint32(40, samples.length * 2, true);
  samples.forEach((v, i) => bytes.setInt16(44 + i * 2, Math.max(-1, Math.min(1, v)) * 0x7fff, true));
  return bytes.buffer;
}

// 4. Sending: as a task when the route can be one, following its progress on the WebSocket.
function body(o) {
  const inputs = [...$('fields').querySelectorAll('[name]')];
  if (o.type === 'multipart/form-data') {
    const form = new FormData();
    for (const input of inputs) {
      if (input.dataset.kind === 'file') {
        if (input.files[0]) form.set(input.name, input.files[0]);
      } else if (input.dataset.kind === 'boolean') form.set(input.name, String(input.checked));
      else if (input.value !== '') form.set(input.name, input.value);
    }
    return form;
  }
  const json = {};
  for (const input of inputs) {
    if (input.dataset.kind === 'boolean') json[input.name] = input.checked;
    else if (input.value === '') continue;
    else if (input.dataset.kind === 'integer' || input.dataset.kind === 'number') json[input.name] = Number(input.value);
    else if (input.dataset.kind === 'object' || input.dataset.kind === 'array') json[input.name] = JSON.parse(input.value);
    else json[input.name] = input.value;
  }
  return JSON.stringify(json);
}

async function detailOf(res) {
  const text = await res.text();
  try {
    const parsed = JSON.parse(text);
    return typeof parsed.detail === 'string' ? parsed.detail : text;
  } catch {
    return text;
  }
}

function followTask(taskId) {
  return new Promise((done, fail) => {
    const scheme = location.protocol === 'https:' ? 'wss:' : 'ws:';
    const socket = new WebSocket(`${scheme}//${location.host}/ws/progress/${encodeURIComponent(taskId)}?api_key=${encodeURIComponent(apiKey())}`);
    socket.onmessage = (message) => {
      const event = JSON.parse(message.data);
      $('progress').value = event.progress ?? 0;
      setStatus(`task ${event.status}: ${event.stage ?? ''} ${event.message ?? ''} (${Math.round((event.progress ?? 0) * 100)} %)`);
      if (event.status === 'done') done(event);
      else if (event.status === 'error' || event.status === 'cancelled') fail(new Error(event.error?.detail ?? event.message ?? event.status));
    };
    socket.onerror = () => fail(new Error('the progress WebSocket failed (is the key right?)'));
  });
}

async function send(event) {
  event.preventDefault();
  const o = operations[Number($('route').value)];
  for (const url of objectUrls.splice(0)) URL.revokeObjectURL(url);
  $('result').hidden = true;
  $('json').hidden = true;
  $('progress').hidden = false;
  $('progress').value = 0;
  $('send').disabled = true;
  try {
    const init = { method: 'POST', headers: { ...headers(), ...(o.type === 'application/json' ? { 'Content-Type': 'application/json' } : {}) }, body: body(o) };
    setStatus(`POST ${o.path} …`);
    let res = await fetch(`${o.path}?async=true`, init);
    if (res.status === 400 && /async/.test((await res.clone().text()) ?? '')) res = await fetch(o.path, { ...init, body: body(o) });
    if (res.status === 202) {
      const task = await res.json();
      const final = await followTask(task.task_id);
      res = await fetch(final.result_url ?? task.result_url, { headers: headers() });
    }
    if (!res.ok) throw new Error(`${res.status}: ${await detailOf(res)}`);
    await show(res);
  } catch (error) {
    setStatus(error.message, true);
  } finally {
    $('send').disabled = false;
    $('progress').hidden = true;
  }
}

// 5. The answer: audio plays with its pictures; anything else is shown as JSON.
async function show(res) {
  const type = res.headers.get('content-type') ?? '';
  if (!type.startsWith('audio/')) {
    $('json').textContent = type.includes('json') ? JSON.stringify(await res.json(), null, 2) : await res.text();
    $('json').hidden = false;
    setStatus(`done (${type || 'no content type'})`);
    return;
  }
  const audio = await res.blob();
  const url = URL.createObjectURL(audio);
  objectUrls.push(url);
  $('player').src = url;
  $('download').href = url;
  $('download').download = `answer.${(type.split('/')[1] ?? 'bin').split(';')[0].replace('mpeg', 'mp3').replace('ogg', 'ogg')}`;
  $('result').hidden = false;
  setStatus(`done: ${type}, ${(audio.size / 1024).toFixed(1)} KiB${res.headers.get('x-weight-state') === 'smoke' ? ' (smoke graphs: meaningless audio)' : ''}`);
  await Promise.all(['waveform', 'spectrogram'].map((kind) => picture(kind, audio)));
}

async function picture(kind, audio) {
  const form = new FormData();
  form.set('audio', audio, 'answer');
  form.set('width', '800');
  const res = await fetch(`/api/audio/${kind}`, { method: 'POST', headers: headers(), body: form });
  const img = $(kind);
  if (!res.ok) {
    img.alt = `${kind}: ${res.status} ${await detailOf(res)}`;
    return;
  }
  const url = URL.createObjectURL(await res.blob());
  objectUrls.push(url);
  img.src = url;
}

async function start() {
  $('api-key').value = sessionStorage.getItem(KEY_STORE) ?? '';
  $('api-key').addEventListener('input', () => sessionStorage.setItem(KEY_STORE, apiKey()));
  const res = await fetch('/api/openapi.json', { headers: headers() });
  if (!res.ok) {
    setStatus(`cannot read /api/openapi.json (${res.status}); enter a key and reload`, true);
    return;
  }
  openapi = await res.json();
  collectOperations();
  $('route').addEventListener('change', showOperation);
  $('form').addEventListener('submit', send);
  const first = operations.findIndex((o) => o.path === '/api/tts/espeak');
  $('route').value = String(Math.max(first, 0));
  showOperation();
  document.body.dataset.ready = 'true';
}

start().catch((error) => setStatus(error.message, true));
