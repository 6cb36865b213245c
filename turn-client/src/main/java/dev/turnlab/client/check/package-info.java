/**
 * The CMS-style TURN check: {@link dev.turnlab.client.check.TurnCheck} observes, a pure
 * {@link dev.turnlab.client.check.Diagnosis} explains, {@link dev.turnlab.client.check.ReportFormat}
 * prints text or CMS's XML (turn-check's JSON is written by turn-client-app, with Jackson).
 */
package dev.turnlab.client.check;
