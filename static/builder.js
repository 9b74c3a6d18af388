// Form builder: live validation of conditions, as a progressive enhancement. Without JavaScript the same
// check runs when the page is saved. The server's JSON endpoint uses the forms engine's own parser and
// type checker, so what this says is what saving says.
const DELAY_MS = 400

function showResult (target, result, texts) {
  target.textContent = ''
  target.className = 'app-condition-check govuk-body'
  if (!result) return
  if (result.ok) {
    target.classList.add('app-condition-check--valid')
    target.textContent = texts.valid
    return
  }
  target.classList.add('app-condition-check--invalid')
  const intro = document.createElement('p')
  intro.className = 'govuk-body govuk-!-margin-bottom-1'
  intro.textContent = texts.invalid
  const list = document.createElement('ul')
  list.className = 'govuk-list govuk-list--bullet'
  for (const problem of result.problems) {
    const item = document.createElement('li')
    item.textContent = problem
    list.appendChild(item)
  }
  target.append(intro, list)
}

function watch (field) {
  const target = document.getElementById(field.dataset.checkResult)
  if (!target) return
  const texts = { valid: target.dataset.validText || 'OK', invalid: target.dataset.invalidText || '' }
  let timer = null
  let latest = 0
  field.addEventListener('input', () => {
    window.clearTimeout(timer)
    timer = window.setTimeout(async () => {
      const value = field.value.trim()
      if (!value) { showResult(target, null, texts); return }
      const asked = ++latest
      const url = new URL(field.dataset.conditionCheck, window.location.href)
      url.searchParams.set('condition', value)
      try {
        const response = await fetch(url, { credentials: 'same-origin', headers: { Accept: 'application/json' } })
        if (!response.ok || asked !== latest) return
        showResult(target, await response.json(), texts)
      } catch (error) {
        // No network: the check runs again when the page is saved.
      }
    }, DELAY_MS)
  })
}

document.querySelectorAll('[data-condition-check]').forEach(watch)
