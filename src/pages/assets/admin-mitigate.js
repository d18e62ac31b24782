// One-click block/allow without leaving the page: progressive enhancement of every
// `form.tg-mitigate` (pages/admin/mitigation-controls.ts). Without this script the form posts and
// the browser goes to /admin/mitigations, which shows the result with an Undo button; with it, the
// same POST is made with fetch (Accept: application/json) and the form is swapped in place for
// "Blocked for 1 hour · Undo". Undo calls the undo endpoint and brings the form back.
// Plain browser JavaScript, no build step; loaded with `defer` under a 'self'-only CSP.
(function () {
  'use strict';

  // Where SubmitEvent.submitter is missing, the button last clicked in each form says block or allow.
  var clicked = new WeakMap();
  // The error message shown after a form or a status line, so the next attempt can clear it.
  var errors = new WeakMap();

  function csrfToken(form) {
    var meta = document.querySelector('meta[name="csrf"]');
    if (meta && meta.getAttribute('content')) return meta.getAttribute('content');
    var field = form.querySelector('input[name="csrf"]');
    return field ? field.value : '';
  }

  function post(url, body, csrf) {
    return fetch(url, {
      method: 'POST',
      credentials: 'same-origin',
      headers: { Accept: 'application/json', 'Content-Type': 'application/x-www-form-urlencoded', 'X-CSRF-Token': csrf },
      body: body.toString(),
    }).then(
      function (res) {
        if (res.ok) return res.status === 204 ? null : res.json();
        return res.json().catch(function () { return null; }).then(function (data) {
          var message = data && data.error && typeof data.error.message === 'string' ? data.error.message : '';
          if (res.status === 401) message = 'Your session has ended: sign in again, then retry.';
          throw new Error(message || 'Tollgate answered ' + res.status + '. Please try again.');
        });
      },
      function () {
        throw new Error('Tollgate could not be reached. Check the connection and try again.');
      }
    );
  }

  function clearError(anchor) {
    var shown = errors.get(anchor);
    if (shown) shown.remove();
    errors.delete(anchor);
  }

  function showError(anchor, message) {
    clearError(anchor);
    var p = document.createElement('p');
    p.className = 'tg-mitigate-error';
    p.setAttribute('role', 'alert');
    p.textContent = message;
    anchor.insertAdjacentElement('afterend', p);
    errors.set(anchor, p);
  }

  function setBusy(element, busy) {
    element.setAttribute('aria-busy', busy ? 'true' : 'false');
    var controls = element.querySelectorAll('button, select');
    for (var i = 0; i < controls.length; i++) controls[i].disabled = busy;
  }

  function describe(form) {
    var kind = form.getAttribute('data-kind') || '';
    var value = form.getAttribute('data-value') || '';
    return (kind + ' ' + value).trim();
  }

  function showStatus(form, entry, list, duration) {
    var status = document.createElement('p');
    status.className = 'tg-mitigate-status tg-mitigate-status-' + list;
    status.setAttribute('role', 'status');
    var text = document.createElement('span');
    text.textContent = (list === 'allow' ? 'Allowed' : 'Blocked') + (duration ? ' for ' + duration : '');
    if (entry.expiresAt) text.title = 'until ' + new Date(entry.expiresAt).toLocaleString();
    var undo = document.createElement('button');
    undo.type = 'button';
    undo.className = 'tg-link tg-mitigate-undo';
    undo.textContent = 'Undo';
    undo.setAttribute('aria-label', 'Undo: ' + (list === 'allow' ? 'allow' : 'block') + ' ' + describe(form));
    status.appendChild(text);
    status.appendChild(document.createTextNode(' · '));
    status.appendChild(undo);

    clearError(form);
    form.hidden = true;
    form.insertAdjacentElement('afterend', status);
    undo.focus();

    undo.addEventListener('click', function () {
      clearError(status);
      setBusy(status, true);
      var body = new URLSearchParams();
      var field = form.querySelector('input[name="csrf"]');
      if (field) body.set('csrf', field.value);
      var url = (form.getAttribute('action') || '/admin/mitigations') + '/' + encodeURIComponent(entry.id) + '/undo';
      post(url, body, csrfToken(form)).then(
        function () {
          clearError(status);
          status.remove();
          form.hidden = false;
          var again = form.querySelector('button[name="list"][value="' + list + '"]');
          if (again) again.focus();
        },
        function (err) {
          setBusy(status, false);
          showError(status, err.message);
        }
      );
    });
  }

  document.addEventListener('click', function (event) {
    var target = event.target;
    var button = target instanceof Element ? target.closest('form.tg-mitigate button[type="submit"]') : null;
    if (button && button.form) clicked.set(button.form, button);
  });

  document.addEventListener('submit', function (event) {
    var form = event.target;
    if (!(form instanceof HTMLFormElement) || !form.classList.contains('tg-mitigate')) return;
    event.preventDefault();
    if (form.getAttribute('aria-busy') === 'true') return;
    var button = event.submitter || clicked.get(form) || form.querySelector('button[name="list"]');
    var list = button && button.value === 'allow' ? 'allow' : 'block';
    // Read the fields before disabling them: disabled controls are left out of FormData.
    var body = new URLSearchParams(new FormData(form));
    body.set('list', list);
    var select = form.querySelector('select[name="ttl"]');
    var option = select && select.options[select.selectedIndex];
    var duration = option ? option.textContent : '';
    clearError(form);
    setBusy(form, true);
    post(form.getAttribute('action') || '/admin/mitigations', body, csrfToken(form)).then(
      function (entry) {
        setBusy(form, false);
        if (!entry || typeof entry.id !== 'string') throw new Error('Tollgate did not say what it listed. Reload the page to check.');
        showStatus(form, entry, list, duration);
      },
      function (err) {
        setBusy(form, false);
        throw err;
      }
    ).catch(function (err) {
      showError(form, err.message);
    });
  });
})();
