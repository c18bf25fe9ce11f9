// Retention console: reads the retention API of the server that serves this page, nothing else.
'use strict';

(function () {
  const REFRESH_MS = 5000;
  const TOKEN_KEY = 'churn-signals.token';
  const LEVEL_KEYS = { alerts: 'churn-signals.alerts-level', atRisk: 'churn-signals.at-risk-level' };
  const SIGNAL_NAMES = {
    BROKEN_PROMISE: 'Broken promise',
    SLOW_RESPONSE: 'Slow response',
    UNANSWERED_CALL: 'Unanswered call',
    DIFFICULT_RETURN: 'Difficult return',
    DEFECTIVE_PRODUCT: 'Defective product',
    PRICE_DROP_AFTER_PURCHASE: 'Price drop after purchase',
    OVERCHARGED: 'Overcharged',
    OVER_DELIVERED: 'Delivered early',
    SERVICE_RECOVERY: 'Problem solved well',
  };

  const $ = (id) => document.getElementById(id);
  const money = new Intl.NumberFormat(undefined, {
    style: 'currency', currency: document.documentElement.dataset.currency || 'USD',
  });
  const clock = new Intl.DateTimeFormat(undefined, { dateStyle: 'medium', timeStyle: 'short' });

  let lastAnswer = '';        // the JSON last drawn: a refresh that brings nothing new redraws nothing
  let seenAlertIds = new Set(); // alerts already shown in this tab
  let arrivedAlertIds = new Set(); // alerts that came in by refresh since the agent last navigated or filtered

  // --- access -------------------------------------------------------------------------------------
  // A ?token= in the address is taken once, kept in this tab's sessionStorage, and removed from the address.
  (function takeTokenFromAddress() {
    const params = new URLSearchParams(location.search);
    if (params.has('token')) {
      sessionStorage.setItem(TOKEN_KEY, params.get('token'));
      params.delete('token');
      const rest = params.toString();
      history.replaceState(null, '', location.pathname + (rest ? '?' + rest : '') + location.hash);
    }
  })();

  class NeedsToken extends Error {}

  async function api(path) {
    const headers = { Accept: 'application/json' };
    const token = sessionStorage.getItem(TOKEN_KEY);
    if (token) headers.Authorization = 'Bearer ' + token;
    const response = await fetch(path, { headers, cache: 'no-store' });
    const text = await response.text();
    if (response.status === 401) throw new NeedsToken(token ? 'That token was not accepted.' : '');
    let body;
    try { body = JSON.parse(text); } catch (e) { body = { error: 'The server answered HTTP ' + response.status }; }
    return { status: response.status, body, text, partial: response.headers.get('Churn-Unavailable-Instances') };
  }

  // --- small DOM builders (text only: nothing from the API is ever parsed as HTML) -----------------
  function el(tag, attrs, ...children) {
    const node = document.createElement(tag);
    for (const [key, value] of Object.entries(attrs || {})) {
      if (value === undefined || value === null || value === false) continue;
      if (key === 'class') node.className = value;
      else if (key === 'text') node.textContent = value;
      else node.setAttribute(key, value);
    }
    for (const child of children) {
      if (child === null || child === undefined) continue;
      node.append(child instanceof Node ? child : document.createTextNode(String(child)));
    }
    return node;
  }

  function levelBadge(level, testid) {
    return el('span', { class: 'level level-' + level, 'data-testid': testid || 'level', 'data-level': level },
      level);
  }

  function customerLink(id) {
    return el('a', { href: '#/customers/' + encodeURIComponent(id), 'data-testid': 'customer-link' }, id);
  }

  function cents(value) {
    return money.format((value || 0) / 100);
  }

  function ago(iso) {
    const seconds = Math.round((Date.now() - Date.parse(iso)) / 1000);
    if (seconds < 45) return 'just now';
    const minutes = Math.round(seconds / 60);
    if (minutes < 60) return minutes + ' min ago';
    const hours = Math.round(minutes / 60);
    if (hours < 36) return hours + ' h ago';
    return Math.round(hours / 24) + ' days ago';
  }

  // Relative times tick on without redrawing rows, so a selection or a hover survives the refresh.
  function timeCell(iso) {
    return el('td', { class: 'when', 'data-time': iso, title: iso ? clock.format(new Date(iso)) : '' },
      iso ? ago(iso) : '');
  }

  function tickTimes() {
    document.querySelectorAll('[data-time]').forEach((node) => {
      if (node.dataset.time) node.textContent = ago(node.dataset.time);
    });
  }

  function signalName(signal) {
    return SIGNAL_NAMES[signal] || signal;
  }

  function points(value) {
    return el('span', { class: 'points' + (value < 0 ? ' lowers' : '') }, (value > 0 ? '+' : '') + value);
  }

  function clickableRow(customerId, attrs, cells) {
    const row = el('tr', Object.assign({ class: 'clickable' }, attrs), ...cells);
    row.addEventListener('click', (event) => {
      if (event.target.closest('a') || String(window.getSelection())) return;
      location.hash = '#/customers/' + encodeURIComponent(customerId);
    });
    return row;
  }

  function showPartial(node, instances) {
    node.hidden = !instances;
    node.textContent = instances
      ? 'Part of this list is missing: instance ' + instances.split(',').join(', ')
        + ' did not answer. It will be asked again at the next refresh.'
      : '';
  }

  // --- views ---------------------------------------------------------------------------------------
  const views = {
    alerts: {
      section: 'alerts-view',
      nav: 'nav-alerts',
      path() {
        const level = $('alerts-level').value;
        return '/api/alerts?limit=200' + (level ? '&level=' + level : '');
      },
      draw(answer, arg, navigated) {
        const alerts = answer.body.alerts;
        if (navigated) arrivedAlertIds = new Set();
        else alerts.filter((a) => !seenAlertIds.has(a.alertId)).forEach((a) => arrivedAlertIds.add(a.alertId));
        alerts.forEach((a) => seenAlertIds.add(a.alertId));
        const fresh = arrivedAlertIds;
        $('alerts-rows').replaceChildren(...alerts.map((alert) => {
          const reason = alert.reasons[0];
          return clickableRow(alert.customerId,
            { class: 'clickable' + (fresh.has(alert.alertId) ? ' new' : ''), 'data-testid': 'alert-row',
              'data-alert-id': alert.alertId, 'data-customer-id': alert.customerId },
            [timeCell(alert.raisedAt),
              el('td', {}, levelBadge(alert.level), fresh.has(alert.alertId) ? el('span', { class: 'badge-new' }, 'NEW') : null),
              el('td', { class: 'customer' }, customerLink(alert.customerId)),
              el('td', { class: 'num' }, alert.score),
              el('td', { class: 'num' }, cents(alert.valueAtRiskCents)),
              el('td', { class: 'reason', 'data-testid': 'alert-reason' }, reason ? reason.description : ''),
              el('td', { class: 'reason' }, alert.recommendedActions[0] || '')]);
        }));
        $('alerts-empty').hidden = alerts.length > 0;
        $('alerts-summary').textContent = alerts.length + (alerts.length === 1 ? ' alert' : ' alerts')
          + ' in the last 7 days';
        showPartial($('alerts-partial'), answer.partial);
      },
    },
    atRisk: {
      section: 'at-risk-view',
      nav: 'nav-at-risk',
      path() {
        return '/api/customers/at-risk?limit=200&level=' + $('at-risk-level').value;
      },
      draw(answer) {
        const customers = answer.body.customers;
        $('at-risk-rows').replaceChildren(...customers.map((c) => clickableRow(c.customerId,
          { 'data-testid': 'at-risk-row', 'data-customer-id': c.customerId },
          [el('td', { class: 'customer' }, customerLink(c.customerId)),
            el('td', {}, levelBadge(c.level)),
            el('td', { class: 'num' }, c.score),
            el('td', { class: 'num' }, cents(c.valueAtRiskCents)),
            el('td', { class: 'reason' }, c.strongestReason || ''),
            timeCell(c.updatedAt)])));
        $('at-risk-empty').hidden = customers.length > 0;
        const total = customers.reduce((sum, c) => sum + (c.valueAtRiskCents || 0), 0);
        $('at-risk-summary').textContent = customers.length + (customers.length === 1 ? ' customer, ' : ' customers, ')
          + cents(total) + ' spent in the last 90 days';
        showPartial($('at-risk-partial'), answer.partial);
      },
    },
    customer: {
      section: 'customer-view',
      nav: null,
      path(id) {
        return '/api/customers/' + encodeURIComponent(id) + '/risk';
      },
      draw(answer, id) {
        const missing = $('customer-missing');
        if (answer.status !== 200) {
          $('customer-body').hidden = true;
          missing.hidden = false;
          missing.textContent = answer.status === 404
            ? 'No customer "' + id + '" has been seen. Check the id; a new customer appears with their first event.'
            : answer.body.error;
          return;
        }
        const p = answer.body;
        $('customer-body').hidden = false;
        missing.hidden = true;
        $('customer-id').textContent = p.customerId;
        $('customer-updated').textContent = p.updatedAt ? 'Risk updated ' + clock.format(new Date(p.updatedAt)) : '';
        const badge = $('customer-level');
        badge.className = 'level level-' + p.level;
        badge.dataset.level = p.level;
        badge.textContent = p.level;
        $('customer-score').textContent = p.score;
        $('customer-value').textContent = cents(p.valueAtRiskCents);
        drawTrend(p.trend || []);

        const against = p.reasons.filter((r) => r.points > 0).sort((a, b) => b.points - a.points);
        const favour = p.reasons.filter((r) => r.points <= 0).sort((a, b) => a.points - b.points);
        $('customer-reasons').replaceChildren(...against.map(reasonItem));
        $('customer-no-reasons').hidden = against.length > 0;
        $('customer-favour').replaceChildren(...favour.map(reasonItem));
        $('customer-favour-block').hidden = favour.length === 0;

        $('customer-actions').replaceChildren(...p.recommendedActions.map(
          (action) => el('li', { 'data-testid': 'action' }, action)));
        $('customer-no-actions').hidden = p.recommendedActions.length > 0;

        const contributions = Object.entries(p.contributions || {}).sort((a, b) => b[1] - a[1]);
        $('customer-contributions').replaceChildren(...contributions.map(([signal, value]) =>
          el('tr', { 'data-testid': 'contribution', 'data-signal': signal },
            el('td', {}, signalName(signal)), el('td', { class: 'num' }, points(value)))));

        const signals = [...(p.recentSignals || [])].sort((a, b) => Date.parse(b.occurredAt) - Date.parse(a.occurredAt));
        $('customer-signals').replaceChildren(...signals.map((s) => el('tr', { 'data-testid': 'signal-row', 'data-signal': s.signal },
          timeCell(s.occurredAt),
          el('td', {}, signalName(s.signal)),
          el('td', { class: 'num' }, points(s.points)),
          el('td', { class: 'reason' }, s.description),
          el('td', { class: 'ids' }, ...evidence(s.evidenceEventIds)))));
      },
    },
  };

  function evidence(ids) {
    const parts = [];
    (ids || []).forEach((id, i) => {
      if (i > 0) parts.push(' ');
      parts.push(el('code', { 'data-testid': 'evidence-id' }, id));
    });
    return parts;
  }

  function reasonItem(reason) {
    return el('li', { 'data-testid': 'reason', 'data-signal': reason.signal },
      el('span', { class: 'sentence' }, reason.description),
      el('span', { class: 'meta' }, points(reason.points), ' points · ', signalName(reason.signal),
        reason.evidenceEventIds && reason.evidenceEventIds.length ? ' · evidence ' : '',
        ...evidence(reason.evidenceEventIds)));
  }

  function drawTrend(trend) {
    const holder = $('customer-trend');
    const width = 240;
    const height = 44;
    const ns = 'http://www.w3.org/2000/svg';
    const svg = document.createElementNS(ns, 'svg');
    svg.setAttribute('class', 'sparkline');
    svg.setAttribute('width', width);
    svg.setAttribute('height', height);
    svg.setAttribute('viewBox', '0 0 ' + width + ' ' + height);
    svg.setAttribute('role', 'img');
    svg.setAttribute('data-testid', 'trend-sparkline');
    const series = [...trend].sort((a, b) => Date.parse(a.at) - Date.parse(b.at));
    const label = series.length
      ? 'Score ' + series.map((p) => p.score).join(', ') + ' from ' + clock.format(new Date(series[0].at))
      : 'No score history yet';
    svg.setAttribute('aria-label', label);
    const title = document.createElementNS(ns, 'title');
    title.textContent = label;
    svg.append(title);
    // Score is always 0 to 100, so the height means the same for every customer.
    const y = (score) => height - 3 - (Math.max(0, Math.min(100, score)) / 100) * (height - 6);
    const mid = document.createElementNS(ns, 'line');
    mid.setAttribute('x1', 0); mid.setAttribute('x2', width);
    mid.setAttribute('y1', y(50)); mid.setAttribute('y2', y(50));
    svg.append(mid);
    if (series.length) {
      const first = Date.parse(series[0].at);
      const span = Math.max(1, Date.parse(series[series.length - 1].at) - first);
      const x = (p) => (series.length === 1 ? width - 4 : 4 + ((Date.parse(p.at) - first) / span) * (width - 8));
      const line = document.createElementNS(ns, 'polyline');
      line.setAttribute('points', series.map((p) => x(p).toFixed(1) + ',' + y(p.score).toFixed(1)).join(' '));
      svg.append(line);
      const last = series[series.length - 1];
      const dot = document.createElementNS(ns, 'circle');
      dot.setAttribute('cx', x(last)); dot.setAttribute('cy', y(last.score)); dot.setAttribute('r', 3);
      svg.append(dot);
    }
    holder.replaceChildren(svg);
    $('customer-trend-text').textContent = series.length > 1
      ? series[0].score + ' → ' + series[series.length - 1].score + ' since ' + clock.format(new Date(series[0].at))
      : '';
  }

  // --- routing and refresh -------------------------------------------------------------------------
  function route() {
    const hash = location.hash || '#/alerts';
    const customer = hash.match(/^#\/customers\/(.+)$/);
    if (customer) return { view: views.customer, arg: decodeURIComponent(customer[1]) };
    if (hash.startsWith('#/at-risk')) return { view: views.atRisk };
    return { view: views.alerts };
  }

  function setStatus(text, stale) {
    const status = $('refresh-status');
    status.textContent = text;
    status.classList.toggle('stale', !!stale);
  }

  async function refresh(force) {
    const { view, arg } = route();
    const path = view.path(arg);
    try {
      const answer = await api(path);
      if (route().view !== view || view.path(route().arg) !== path) return; // the agent moved on meanwhile
      $('token-panel').hidden = true;
      $('problem').hidden = true;
      const ok = answer.status === 200 || (view === views.customer && (answer.status === 404 || answer.status === 503));
      if (!ok) throw new Error(answer.body.error || 'The server answered HTTP ' + answer.status);
      const drawn = path + '\n' + answer.status + '\n' + (answer.partial || '') + '\n' + answer.text;
      if (force || drawn !== lastAnswer) {
        view.draw(answer, arg, force);
        lastAnswer = drawn;
      }
      tickTimes();
      $(view.section).hidden = false;
      setStatus('Updated ' + new Date().toLocaleTimeString());
    } catch (error) {
      if (error instanceof NeedsToken) {
        $('token-panel').hidden = false;
        $('token-message').textContent = error.message
          || 'This console needs the access token your administrator set (http.token). It is kept in this browser tab only.';
        $(view.section).hidden = true;
        setStatus('Waiting for the access token', true);
        return;
      }
      $('problem').hidden = false;
      $('problem').textContent = 'Could not refresh: ' + error.message + '. Showing what was last loaded; trying again.';
      setStatus('Not updated since ' + (lastAnswer ? 'the last success' : 'the page opened'), true);
    }
  }

  function show() {
    const { view } = route();
    for (const each of Object.values(views)) {
      if (each !== view) $(each.section).hidden = true;
      if (each.nav) $(each.nav).classList.toggle('current', each === view);
    }
    if (view === views.customer) {
      $('back-link').setAttribute('href', sessionStorage.getItem('churn-signals.back') || '#/alerts');
    } else {
      sessionStorage.setItem('churn-signals.back', location.hash || '#/alerts');
    }
    lastAnswer = '';
    refresh(true);
  }

  function start() {
    const alertsLevel = sessionStorage.getItem(LEVEL_KEYS.alerts);
    const atRiskLevel = sessionStorage.getItem(LEVEL_KEYS.atRisk);
    if (alertsLevel !== null) $('alerts-level').value = alertsLevel;
    if (atRiskLevel !== null) $('at-risk-level').value = atRiskLevel;
    $('alerts-level').addEventListener('change', () => {
      sessionStorage.setItem(LEVEL_KEYS.alerts, $('alerts-level').value);
      refresh(true);
    });
    $('at-risk-level').addEventListener('change', () => {
      sessionStorage.setItem(LEVEL_KEYS.atRisk, $('at-risk-level').value);
      refresh(true);
    });
    $('lookup').addEventListener('submit', (event) => {
      event.preventDefault();
      const id = $('lookup-id').value.trim();
      if (id) location.hash = '#/customers/' + encodeURIComponent(id);
    });
    $('token-form').addEventListener('submit', (event) => {
      event.preventDefault();
      sessionStorage.setItem(TOKEN_KEY, $('token-input').value.trim());
      $('token-input').value = '';
      refresh(true);
    });
    window.addEventListener('hashchange', () => {
      window.scrollTo(0, 0);
      show();
    });
    show();
    setInterval(() => {
      if (!document.hidden) refresh(false);
    }, REFRESH_MS);
  }

  start();
})();
