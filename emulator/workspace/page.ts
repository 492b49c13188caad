/** The workspace page's HTML shell and styles; the behaviour is client.ts (inlined). */
export function workspacePage(clientJs: string): string {
  return `<!DOCTYPE html><html lang="en"><head><meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>YouTube2Sheets — local workspace</title>
<style>${CSS}</style></head>
<body>
<header class="top">
  <div class="doc"><span class="logo" aria-hidden="true"></span><div><div class="title" id="ss-name">Untitled spreadsheet</div>
  <nav class="menubar" id="menubar" aria-label="Menu bar"></nav></div></div>
  <label class="user-switch" title="The user the menu, sidebar and dialogs run as (each editor has their own triggers and user properties)">Acting as
    <select id="user" aria-label="Acting user"></select></label>
  <div class="clock" id="clock" title="Virtual time of the local runtime"></div>
</header>
<div class="formula" aria-hidden="true"><span>fx</span></div>
<div class="body">
  <main class="grid-wrap" id="grid" aria-label="Sheet" tabindex="0"></main>
  <aside class="sidebar" id="sidebar" hidden aria-label="Sidebar">
    <div class="sidebar-head"><span id="sidebar-title"></span><button type="button" id="sidebar-close" aria-label="Close sidebar">✕</button></div>
  </aside>
</div>
<footer class="tabs" id="tabs" role="tablist" aria-label="Sheets"></footer>
<div id="modal-root"></div>
<div class="toast" id="status" role="status" aria-live="polite"></div>
<script>${clientJs.replace(/<\/(script)/gi, '<\\/$1')}</script>
</body></html>`;
}

const CSS = `
*{box-sizing:border-box} html,body{margin:0;height:100%}
body{font:13px Roboto,Arial,sans-serif;color:#202124;display:flex;flex-direction:column;background:#f9fbfd}
.top{display:flex;justify-content:space-between;align-items:center;padding:8px 16px 0;background:#f9fbfd}
.doc{display:flex;gap:12px;align-items:center}
.logo{width:28px;height:36px;background:#0f9d58;border-radius:3px;position:relative}
.logo::after{content:"";position:absolute;left:6px;top:10px;width:16px;height:16px;border:2px solid #fff;border-radius:1px}
.title{font-size:18px;color:#202124}
.user-switch{font:13px Roboto,Arial,sans-serif;color:#5f6368;margin-left:auto;margin-right:16px;display:flex;gap:6px;align-items:center}
.user-switch select{font:13px Roboto,Arial,sans-serif;padding:2px 4px}
.menubar{display:flex;gap:2px;margin:2px 0 4px -6px}
.menubar .m{position:relative}
.menubar button.top-item{border:0;background:none;font:14px Roboto,Arial,sans-serif;padding:3px 7px;border-radius:4px;cursor:pointer;color:#202124}
.menubar button.top-item:hover,.menubar button.top-item[aria-expanded=true]{background:#e8eaed}
.menubar .fake{color:#5f6368;cursor:default}
.dropdown{position:absolute;top:28px;left:0;z-index:30;background:#fff;min-width:220px;padding:6px 0;border-radius:4px;box-shadow:0 2px 6px rgba(60,64,67,.3),0 1px 2px rgba(60,64,67,.15)}
.dropdown button{display:block;width:100%;text-align:left;border:0;background:none;padding:7px 24px;font:14px Roboto,Arial,sans-serif;cursor:pointer;color:#202124}
.dropdown button:hover,.dropdown button:focus{background:#f1f3f4;outline:none}
.dropdown hr{border:0;border-top:1px solid #e8eaed;margin:6px 0}
.clock{color:#5f6368;font-size:12px}
.formula{height:28px;border-top:1px solid #e0e0e0;border-bottom:1px solid #e0e0e0;background:#fff;padding:4px 12px;color:#5f6368;font-style:italic}
.body{flex:1;display:flex;min-height:0}
.grid-wrap{flex:1;overflow:auto;background:#fff;outline:none}
.grid-wrap:focus-visible{box-shadow:inset 0 0 0 2px #1a73e8}
table.sheet{border-collapse:collapse;font-size:13px;table-layout:fixed}
table.sheet th{background:#f8f9fa;color:#5f6368;font-weight:400;border:1px solid #e0e0e0;height:22px;position:sticky;top:0;z-index:1}
table.sheet th.rh{position:sticky;left:0;width:46px;z-index:2}
table.sheet td{border:1px solid #e2e3e3;height:21px;padding:0 4px;white-space:nowrap;overflow:hidden;text-overflow:ellipsis;max-width:220px;min-width:90px}
table.sheet td.num{text-align:right}
table.sheet tr.frozen td,table.sheet tr.frozen th.rh{position:sticky;top:23px;z-index:1;background:#fff}
table.sheet tr.frozen th.rh{z-index:2;background:#f8f9fa}
table.sheet tr.frozen-last td,table.sheet tr.frozen-last th{border-bottom:3px solid #c0c0c0}
table.sheet tr.fresh td{background:#e6f4ea;transition:background 2s}
.empty-sheet{padding:24px;color:#5f6368}
.sidebar{width:301px;flex:none;border-left:1px solid #dadce0;background:#fff;display:flex;flex-direction:column}
.sidebar[hidden]{display:none}
.sidebar-head{display:flex;justify-content:space-between;align-items:center;padding:10px 12px 10px 16px;border-bottom:1px solid #e8eaed;font-size:16px}
.sidebar iframe{flex:1;border:0;width:300px}
button.x{border:0;background:none;font-size:16px;cursor:pointer;color:#5f6368;width:32px;height:32px;border-radius:50%}
#sidebar-close{border:0;background:none;font-size:16px;cursor:pointer;color:#5f6368;width:32px;height:32px;border-radius:50%}
#sidebar-close:hover,button.x:hover{background:#f1f3f4}
.tabs{display:flex;gap:2px;background:#f1f3f4;border-top:1px solid #dadce0;padding:0 8px;height:38px;align-items:stretch}
.tabs button{border:0;background:none;padding:0 16px;font:500 13px Roboto,Arial,sans-serif;color:#3c4043;cursor:pointer}
.tabs button[aria-selected=true]{background:#e1e9f7;color:#0b57d0;border-bottom:3px solid #0b57d0}
.backdrop{position:fixed;inset:0;background:rgba(32,33,36,.6);display:flex;align-items:center;justify-content:center;z-index:40}
.dialog{background:#fff;border-radius:8px;box-shadow:0 4px 16px rgba(0,0,0,.3);display:flex;flex-direction:column;max-width:96vw;max-height:94vh}
.dialog-head{display:flex;justify-content:space-between;align-items:center;padding:16px 12px 8px 24px;font-size:18px}
.dialog iframe{border:0;max-width:96vw;max-height:calc(94vh - 56px)}
.alert-body{padding:8px 24px;white-space:pre-wrap;max-width:480px}
.alert-foot{display:flex;justify-content:flex-end;padding:16px 24px}
.alert-foot button{background:#1a73e8;color:#fff;border:0;border-radius:4px;height:36px;padding:0 24px;font:500 14px Roboto,Arial,sans-serif;cursor:pointer}
/* z-index under the dialogs' backdrop (40): a toast never covers a dialog */
.toast{position:fixed;left:64px;bottom:52px;z-index:35;background:#323232;color:#fff;padding:10px 16px;border-radius:4px;opacity:0;transition:opacity .2s;pointer-events:none}
.toast.on{opacity:1}
.focus-guard{position:absolute;width:1px;height:1px;overflow:hidden;clip:rect(0 0 0 0)}
:focus-visible{outline:2px solid #1a73e8;outline-offset:2px}
`;
