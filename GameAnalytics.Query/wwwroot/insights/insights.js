// Renders /insights/api/summary with Chart.js and refreshes it every few seconds.
const refreshMs = 5000;
const palette = ['#3b6fd6', '#e07a2e', '#2e9e6b', '#c2415d', '#7d5bbe'];
const charts = {};
window.insights = { charts, summary: null };

function upsert(id, config) {
  if (charts[id]) {
    charts[id].data = config.data;
    charts[id].update('none');
  } else {
    charts[id] = new Chart(document.getElementById(id), config);
  }
}

function render(summary) {
  const share = summary.guildShare;
  document.getElementById('guild-share').textContent = `${share.percent.toFixed(1)}%`;
  document.getElementById('guild-detail').textContent = `${share.joined} of ${share.users} users`;
  document.getElementById('catches').textContent = summary.perUser.catches.toFixed(2);
  document.getElementById('slays').textContent = summary.perUser.slays.toFixed(2);
  const fresh = summary.freshness;
  document.getElementById('freshness').textContent = fresh.ageSeconds == null ? 'no events' : `${formatAge(fresh.ageSeconds)} ago`;
  document.getElementById('latest').textContent = fresh.latestReceivedAt ? `received ${utc(fresh.latestReceivedAt)}, landed ${utc(fresh.latestLandedAt)}` : '';

  upsert('guild-chart', {
    type: 'doughnut',
    data: { labels: ['joined a guild', 'did not'], datasets: [{ data: [share.joined, share.users - share.joined], backgroundColor: [palette[0], '#d5d9e2'] }] },
  });
  upsert('per-user-chart', {
    type: 'bar',
    data: { labels: ['butterflies caught', 'dragons slain'], datasets: [{ label: 'per user', data: [summary.perUser.catches, summary.perUser.slays], backgroundColor: [palette[2], palette[3]] }] },
    options: { plugins: { legend: { display: false } } },
  });

  const minutes = [...new Set(summary.eventsPerMinute.map(p => p.minute))].sort();
  const types = [...new Set(summary.eventsPerMinute.map(p => p.eventType))].sort();
  upsert('per-minute-chart', {
    type: 'line',
    data: {
      labels: minutes.map(m => m.substring(11, 16)),
      datasets: types.map((type, i) => ({
        label: type,
        borderColor: palette[i % palette.length],
        backgroundColor: palette[i % palette.length],
        data: minutes.map(m => summary.eventsPerMinute.find(p => p.minute === m && p.eventType === type)?.events ?? 0),
      })),
    },
    options: { scales: { y: { beginAtZero: true } } },
  });
  upsert('top-users-chart', {
    type: 'bar',
    data: { labels: summary.topUsers.map(u => u.user), datasets: [{ label: 'events', data: summary.topUsers.map(u => u.events), backgroundColor: palette[0] }] },
    options: { indexAxis: 'y', plugins: { legend: { display: false } } },
  });
}

function utc(iso) {
  return new Date(iso).toISOString().replace('T', ' ').substring(0, 19) + ' UTC';
}

function formatAge(seconds) {
  if (seconds < 120) return `${Math.round(seconds)} s`;
  if (seconds < 7200) return `${Math.round(seconds / 60)} min`;
  if (seconds < 172800) return `${Math.round(seconds / 3600)} h`;
  return `${Math.round(seconds / 86400)} days`;
}

async function refresh() {
  const status = document.getElementById('status');
  try {
    const response = await fetch('/insights/api/summary', { cache: 'no-store' });
    if (!response.ok) throw new Error(`the service answered ${response.status}`);
    const summary = await response.json();
    window.insights.summary = summary;
    render(summary);
    status.textContent = `Updated ${new Date().toLocaleTimeString()}; refreshes every ${refreshMs / 1000} s`;
    document.body.dataset.loaded = 'true';
  } catch (error) {
    status.textContent = `Could not load the insights: ${error.message}`;
  }
}

refresh();
setInterval(refresh, refreshMs);
