// A follower's copy of the board: a snapshot, then deltas applied in turn (the same rules as
// timingboard.feeds.live_json.Follower). apply() returns false when a delta does not follow on
// from what is held: the page must ask for a snapshot again.
"use strict";
class Follower {
  constructor() { this.seq = null; this.session = {}; this.status = {}; this.rows = {}; this.order = []; }
  apply(m) {
    if (m.type === "snapshot") {
      this.seq = m.seq; this.session = m.session || {}; this.status = m.status || {};
      this.rows = {}; this.order = [];
      for (const row of m.rows) { this.rows[row.key] = row; this.order.push(row.key); }
      return true;
    }
    if (m.type !== "delta" || this.seq === null) return false;
    if (m.seq <= this.seq) return true;  // one already applied (a broker may deliver twice)
    if (m.base !== this.seq) return false;
    this.seq = m.seq; this.status = m.status;
    if (m.session) this.session = m.session;
    for (const [key, row] of Object.entries(m.rows)) this.rows[key] = row;
    if (m.order) {
      this.order = m.order.slice();
      const kept = {};
      for (const key of this.order) if (key in this.rows) kept[key] = this.rows[key];
      this.rows = kept;
    }
    return true;
  }
  board() { return this.order.filter(k => k in this.rows).map(k => this.rows[k]); }
}
