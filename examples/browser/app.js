// The example browser app: token from the issuer, produce, v2 consumer through the rewritten base_uri, readable errors.
const V2 = 'application/vnd.kafka.v2+json'
const V2_BINARY = 'application/vnd.kafka.binary.v2+json'
/** Reads wait server-side (the proxy's consumer.request.timeout.ms); a new consumer may need a few before data comes. */
const MAX_READS = 10

const config = window.gatewayExample ?? {}
const $ = (selector) => document.querySelector(selector)

/** An answer the page could read but that is not a success: status, Kafka-style body and the headers that say why. */
class GatewayFailure extends Error {
  constructor(response, body) {
    super(body?.message ?? `HTTP ${response.status}`)
    this.status = response.status
    this.body = body ?? {}
    this.headers = response.headers
  }
}

function toBase64(text) {
  let binary = ''
  for (const byte of new TextEncoder().encode(text)) binary += String.fromCharCode(byte)
  return btoa(binary)
}

function fromBase64(base64) {
  return new TextDecoder().decode(Uint8Array.from(atob(base64), (char) => char.charCodeAt(0)))
}

/** fetch that turns non-2xx answers into GatewayFailure and a blocked or unreachable request into a plain message. */
async function call(url, { token, method = 'GET', contentType, accept, body } = {}) {
  const headers = {}
  if (token) headers.Authorization = `Bearer ${token}`
  if (contentType) headers['Content-Type'] = contentType
  if (accept) headers.Accept = accept
  let response
  try {
    response = await fetch(url, { method, headers, body: body === undefined ? undefined : JSON.stringify(body) })
  } catch {
    throw new Error(
      `The browser blocked the request or could not reach ${new URL(url).origin}. ` +
        `Is this page's origin (${location.origin}) in the gateway's cors.origins?`,
    )
  }
  const text = await response.text()
  const parsed = text ? safeJson(text) : null
  if (!response.ok) throw new GatewayFailure(response, parsed)
  return parsed
}

function safeJson(text) {
  try {
    return JSON.parse(text)
  } catch {
    return { message: text }
  }
}

function step(text) {
  const item = document.createElement('li')
  item.textContent = text
  $('#steps').append(item)
  return item
}

function reset() {
  $('#steps').replaceChildren()
  $('#error').hidden = true
  $('#result').textContent = ''
  $('#result').dataset.state = 'running'
}

function showFailure(error) {
  $('#steps').lastElementChild?.classList.add('failed')
  $('#result').dataset.state = 'failed'
  const fields = {
    status: error.status ?? '(no answer)',
    message: error.message,
    error_code: error.body?.error_code ?? '',
    error: error.body?.error ?? '',
    'retry-after': error.headers?.get('Retry-After') ?? '',
    ratelimit: error.headers?.get('RateLimit') ?? '',
    'www-authenticate': error.headers?.get('WWW-Authenticate') ?? '',
    'request-id': error.headers?.get('X-Request-Id') ?? '',
  }
  for (const [name, value] of Object.entries(fields)) $(`#error [data-field="${name}"]`).textContent = String(value)
  $('#error').hidden = false
}

async function getToken(sub) {
  const url = new URL(config.tokenUrl)
  url.searchParams.set('sub', sub)
  const { access_token } = await call(url.href)
  return access_token
}

/** Reads until the value just produced comes back; a fresh consumer with auto.offset.reset=earliest sees it. */
async function readBack(baseUri, token, value) {
  for (let attempt = 1; attempt <= MAX_READS; attempt++) {
    const records = await call(`${baseUri}/records`, { token, accept: V2_BINARY })
    const values = records.map((record) => (record.value === null ? null : fromBase64(record.value)))
    if (values.includes(value)) {
      step(`read ${attempt}: ${records.length} record(s), ours among them`)
      return value
    }
    step(`read ${attempt}: ${records.length} record(s), not yet ours`)
  }
  throw new Error(`the message did not come back after ${MAX_READS} reads`)
}

async function sendAndReadBack(form) {
  const sub = form.get('sub')
  const topic = form.get('topic')
  const value = form.get('message')
  step(`getting a token for "${sub}" from the token issuer`)
  const token = await getToken(sub)

  step(`producing "${value}" to topic ${topic} (v2, binary)`)
  const produced = await call(`${config.gatewayUrl}/topics/${encodeURIComponent(topic)}`, {
    token,
    method: 'POST',
    contentType: V2_BINARY,
    body: { records: [{ value: toBase64(value) }] },
  })
  step(`stored at partition ${produced.offsets[0].partition}, offset ${produced.offsets[0].offset}`)

  const group = `browser-example-${crypto.randomUUID()}`
  step(`creating a consumer in group ${group}`)
  const consumer = await call(`${config.gatewayUrl}/consumers/${group}`, {
    token,
    method: 'POST',
    contentType: V2,
    body: { format: 'binary', 'auto.offset.reset': 'earliest' },
  })
  // The gateway rewrote base_uri to its own public URL: the page never learns where the REST proxy is.
  step(`consumer base_uri: ${consumer.base_uri}`)
  try {
    await call(`${consumer.base_uri}/subscription`, {
      token,
      method: 'POST',
      contentType: V2,
      body: { topics: [topic] },
    })
    step(`subscribed to ${topic}; reading`)
    const consumed = await readBack(consumer.base_uri, token, value)
    $('#result').textContent = `Read back: ${consumed}`
    $('#result').dataset.state = 'ok'
  } finally {
    await deleteConsumer(consumer.base_uri, token)
  }
}

/** Always tried, even after a failure; its own failure is listed but never hides the one that stopped the run. */
async function deleteConsumer(baseUri, token) {
  try {
    await call(baseUri, { token, method: 'DELETE', contentType: V2 })
    step('consumer deleted')
  } catch (error) {
    step(`could not delete the consumer: ${error.message}`).classList.add('failed')
  }
}

async function callWithoutToken() {
  step(`GET ${config.gatewayUrl}/topics without a token`)
  await call(`${config.gatewayUrl}/topics`)
  $('#result').textContent = 'The gateway answered without a token?'
}

function run(task) {
  return async (event) => {
    event.preventDefault()
    reset()
    try {
      await task(new FormData($('#demo')))
    } catch (error) {
      showFailure(error)
    }
  }
}

$('#origin').textContent = location.origin
if (config.gatewayUrl) $('#gateway').textContent = config.gatewayUrl
else showFailure(new Error('config.js did not set window.gatewayExample (run `npm run dev`)'))
$('#demo').addEventListener('submit', run(sendAndReadBack))
$('#no-token').addEventListener('click', run(callWithoutToken))
