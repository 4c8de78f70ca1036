/** The console's stylesheet, served at `/console/assets/console.css` (no build step, no CDN). */
export const CONSOLE_CSS = `
:root { --fg:#1b1f24; --muted:#5c6670; --line:#d8dee4; --accent:#0b5cad; --bad:#b42318; --good:#1a7f37; --warn:#9a6700; }
* { box-sizing: border-box; }
body { margin:0; font:15px/1.45 system-ui, sans-serif; color:var(--fg); background:#f6f8fa; }
header { background:#0b2540; color:#fff; padding:10px 24px; display:flex; gap:24px; align-items:center; }
header a { color:#fff; text-decoration:none; } header .brand { font-weight:600; font-size:17px; }
header form { margin-left:auto; }
main { max-width:1100px; margin:24px auto; padding:0 24px; }
h1 { font-size:22px; margin:0 0 16px; } h2 { font-size:17px; margin:24px 0 8px; }
section, .card { background:#fff; border:1px solid var(--line); border-radius:6px; padding:16px 20px; margin-bottom:16px; }
table { border-collapse:collapse; width:100%; background:#fff; }
th, td { text-align:left; padding:6px 10px; border-bottom:1px solid var(--line); vertical-align:top; font-size:14px; }
th { background:#eef2f6; }
label { display:block; font-weight:600; margin-top:12px; }
.field { margin-bottom:6px; }
.help { color:var(--muted); font-size:13px; margin:2px 0; }
input[type=text], input[type=password], input[type=number], select, textarea { width:100%; max-width:560px; padding:6px 8px; border:1px solid #b7c0c9; border-radius:4px; font:inherit; }
textarea { min-height:80px; font-family:ui-monospace, monospace; }
input.invalid, select.invalid, textarea.invalid { border-color:var(--bad); }
.error { color:var(--bad); font-size:13px; display:block; }
.notice { background:#fff8c5; border:1px solid #e3c34b; padding:8px 12px; border-radius:4px; margin-bottom:16px; }
.ok { background:#dafbe1; border:1px solid #4ac26b; padding:8px 12px; border-radius:4px; margin-bottom:16px; }
.failure { background:#ffebe9; border:1px solid #ff8182; padding:8px 12px; border-radius:4px; margin-bottom:16px; }
button, .button { background:var(--accent); color:#fff; border:0; padding:7px 14px; border-radius:4px; font:inherit; cursor:pointer; text-decoration:none; display:inline-block; }
button.secondary, .button.secondary { background:#eef2f6; color:var(--fg); border:1px solid #b7c0c9; }
.actions { margin-top:18px; display:flex; gap:8px; flex-direction:row-reverse; justify-content:flex-end; }
.inline { display:inline; }
.state-ready { color:var(--good); font-weight:600; } .state-failing { color:var(--bad); font-weight:600; } .state-importing, .state-loading, .state-degraded { color:var(--warn); font-weight:600; }
.steps { display:flex; flex-wrap:wrap; gap:4px; margin-bottom:16px; padding:0; list-style:none; }
.steps li { padding:3px 10px; border-radius:12px; background:#eef2f6; font-size:13px; color:var(--muted); }
.steps li.current { background:var(--accent); color:#fff; }
code, .mono { font-family:ui-monospace, monospace; font-size:13px; }
.ctl { font-family:ui-monospace, monospace; font-size:12px; color:#cf222e; background:#fff8c5; border-radius:3px; padding:0 2px; }
.secret { font-family:ui-monospace, monospace; background:#f0f3f6; padding:4px 8px; border-radius:4px; word-break:break-all; }
dl { display:grid; grid-template-columns:max-content 1fr; gap:4px 16px; margin:0; } dt { font-weight:600; } dd { margin:0; }
progress { width:320px; }
`;

/**
 * The console's only script, served at `/console/assets/console.js`: progressive enhancement for
 * the copy buttons, the token generator and the live import progress. Every page works without it.
 */
export const CONSOLE_JS = `
document.querySelectorAll('[data-copy]').forEach(function (button) {
  button.hidden = false;
  button.addEventListener('click', function () {
    var source = document.getElementById(button.getAttribute('data-copy'));
    var text = source.value !== undefined ? source.value : source.textContent;
    var done = function () { button.textContent = 'Copied'; };
    if (navigator.clipboard && window.isSecureContext) navigator.clipboard.writeText(text).then(done, function () { source.select(); });
    else { source.select && source.select(); try { document.execCommand('copy'); done(); } catch (e) {} }
  });
});
document.querySelectorAll('[data-generate-token]').forEach(function (button) {
  button.hidden = false;
  button.addEventListener('click', function () {
    var bytes = new Uint8Array(32);
    crypto.getRandomValues(bytes);
    var text = btoa(String.fromCharCode.apply(null, Array.from(bytes))).replace(/\\+/g, '-').replace(/\\//g, '_').replace(/=+$/, '');
    var input = document.getElementById(button.getAttribute('data-generate-token'));
    input.type = 'text';
    input.value = text;
  });
});
var progress = document.querySelector('[data-import-status]');
if (progress) {
  var url = progress.getAttribute('data-import-status');
  var poll = function () {
    fetch(url, { credentials: 'same-origin', headers: { accept: 'application/json' } }).then(function (r) { return r.json(); }).then(function (s) {
      progress.querySelector('[data-field=state]').textContent = s.state;
      progress.querySelector('[data-field=objects]').textContent = String(s.objects);
      progress.querySelector('[data-field=pages]').textContent = String(s.pages);
      progress.querySelector('[data-field=detail]').textContent = s.detail || '';
      progress.setAttribute('data-state', s.state);
      if (s.state === 'running') setTimeout(poll, 500);
      else {
        // The rest of the page (state, cache, last import) was rendered before the import ended.
        var refresh = progress.querySelector('[data-refresh]');
        if (refresh) refresh.hidden = false;
      }
    }).catch(function () { setTimeout(poll, 2000); });
  };
  if (progress.getAttribute('data-state') === 'running') poll();
}
`;
