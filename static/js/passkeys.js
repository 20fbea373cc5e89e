// Passkeys (allauth's WebAuthn scripts) in the site's voice.
// - Shows the passkey buttons only where the browser can use passkeys: without
//   JavaScript or WebAuthn they stay hidden and the password and code forms work.
// - Turns allauth's errors (a cancelled prompt, a timeout, an unknown passkey)
//   into a sentence beside the button instead of a console error.
(function () {
  'use strict'

  function explain (exception) {
    var name = exception && exception.name
    if (name === 'NotAllowedError' || name === 'AbortError') {
      return 'The passkey wasn\u2019t used: the request was cancelled or timed out. Try again, or use another way.'
    }
    if (name === 'InvalidStateError') {
      return 'This device already has a passkey for your account. It\u2019s listed on the sign-in and security page.'
    }
    if (name === 'SecurityError') {
      return 'Passkeys can\u2019t be used at this web address. Use another way to sign in.'
    }
    return 'The passkey didn\u2019t work. Try again, or use another way.'
  }

  document.addEventListener('allauth.error', function (event) {
    var target = document.querySelector('[data-passkey-error]')
    if (!target) return
    event.preventDefault()
    target.textContent = explain(event.detail && event.detail.exception)
    target.hidden = false
  })

  document.addEventListener('DOMContentLoaded', function () {
    if (!window.PublicKeyCredential) return
    document.querySelectorAll('[data-passkey-only]').forEach(function (element) {
      element.hidden = false
    })
  })
})()
