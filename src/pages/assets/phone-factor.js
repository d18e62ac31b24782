// Progressive enhancement of the hosted phone-factor page (everything works without it):
// submits the code form once the code is complete (data-autosubmit), counts down the resend
// delay, and disables buttons while a form is being submitted. No inline handlers: loaded with defer.
(function () {
  'use strict';

  function lockForm(form, submitter) {
    if (form.getAttribute('data-submitting') === 'true') return false;
    form.setAttribute('data-submitting', 'true');
    form.setAttribute('aria-busy', 'true');
    // A disabled submitter is left out of the form data: copy its name/value into a hidden field.
    if (submitter && submitter.name) {
      var hidden = document.createElement('input');
      hidden.type = 'hidden';
      hidden.name = submitter.name;
      hidden.value = submitter.value;
      hidden.setAttribute('data-tg-copy', '');
      form.appendChild(hidden);
    }
    var buttons = form.querySelectorAll('button');
    for (var i = 0; i < buttons.length; i++) {
      var b = buttons[i];
      b.disabled = true;
      if (b === submitter && b.getAttribute('data-sending')) {
        b.setAttribute('data-label', b.textContent);
        b.textContent = b.getAttribute('data-sending');
      }
    }
    return true;
  }

  function onSubmit(event) {
    var form = event.target;
    if (!(form instanceof HTMLFormElement)) return;
    if (!lockForm(form, event.submitter || form.querySelector('button[type="submit"]'))) event.preventDefault();
  }

  function setUpAutosubmit(form) {
    var input = form.querySelector('input[name="code"]');
    if (!input) return;
    var length = parseInt(input.getAttribute('maxlength') || '0', 10);
    if (!length) return;
    input.addEventListener('input', function () {
      var digits = input.value.replace(/\D/g, '');
      if (digits !== input.value && digits.length <= length) input.value = digits;
      if (digits.length === length && form.getAttribute('data-submitting') !== 'true') {
        if (typeof form.requestSubmit === 'function') form.requestSubmit();
        else if (lockForm(form, null)) form.submit();
      }
    });
  }

  function setUpCountdown(el) {
    var seconds = parseInt(el.getAttribute('data-countdown') || '0', 10);
    var template = el.getAttribute('data-template') || '';
    var deadline = Date.now() + seconds * 1000;
    var form = el.closest('form');
    function tick() {
      var left = Math.ceil((deadline - Date.now()) / 1000);
      if (left <= 0) {
        el.hidden = true;
        if (form) {
          var buttons = form.querySelectorAll('button[data-resend]');
          for (var i = 0; i < buttons.length; i++) {
            buttons[i].disabled = false;
            buttons[i].removeAttribute('aria-describedby');
          }
        }
        return;
      }
      // Update the visible text only every 5 s near the start to keep screen readers calm.
      if (left <= 10 || left % 5 === 0) el.textContent = template.replace('{seconds}', String(left));
      window.setTimeout(tick, 1000);
    }
    tick();
  }

  function init() {
    document.addEventListener('submit', onSubmit);
    var forms = document.querySelectorAll('form[data-autosubmit="true"]');
    for (var i = 0; i < forms.length; i++) setUpAutosubmit(forms[i]);
    var countdowns = document.querySelectorAll('[data-countdown]');
    for (var j = 0; j < countdowns.length; j++) setUpCountdown(countdowns[j]);
    // Focus the error, else the first autofocus field (some browsers ignore autofocus after navigation).
    var target = document.querySelector('#tg-error') || document.querySelector('[autofocus]');
    if (target && document.activeElement !== target && typeof target.focus === 'function') target.focus();
  }

  // Coming back through the back/forward cache: unlock the forms locked when leaving.
  window.addEventListener('pageshow', function (event) {
    if (!event.persisted) return;
    var locked = document.querySelectorAll('form[data-submitting="true"]');
    for (var i = 0; i < locked.length; i++) {
      locked[i].removeAttribute('data-submitting');
      locked[i].removeAttribute('aria-busy');
      var copies = locked[i].querySelectorAll('[data-tg-copy]');
      for (var c = 0; c < copies.length; c++) copies[c].remove();
      var buttons = locked[i].querySelectorAll('button');
      for (var k = 0; k < buttons.length; k++) {
        var label = buttons[k].getAttribute('data-label');
        if (label !== null) buttons[k].textContent = label;
        if (!buttons[k].hasAttribute('data-resend') || !document.querySelector('[data-countdown]:not([hidden])')) buttons[k].disabled = false;
      }
    }
  });

  if (document.readyState === 'loading') document.addEventListener('DOMContentLoaded', init);
  else init();
})();
