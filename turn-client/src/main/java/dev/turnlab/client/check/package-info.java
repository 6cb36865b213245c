/**
 * The CMS-style TURN check: {@link dev.turnlab.client.check.TurnCheck} observes, a pure
 * {@link dev.turnlab.client.check.Diagnosis} explains, {@link dev.turnlab.client.check.ReportFormat}
 * prints text, JSON or CMS's XML.
 */
package dev.turnlab.client.check;
