#include <math.h>
#include <stdio.h>
#include <string.h>

#include "cli/print.h"
#include "pipeline/jury.h"
#include "render/escape.h"

/* The editor's page: the jury of the days before the day (the span
 * [panel] weights = editor reads), so the editor sees what their picks
 * have taught the panel so far. */

static void page_jury_text(FILE *fp, const char *s)
{
	struct buf b = BUF_INIT(0);

	if (s && escape_html(&b, s, strlen(s)) == 0)
		fwrite(buf_cstr(&b), 1, b.len, fp);
	buf_free(&b);
}

static void page_jury_table(FILE *fp, const struct jury_report *r, bool applied)
{
	size_t k;

	fputs("<table>\n<tr><th>judge</th><th>kind</th><th>days</th>"
	      "<th>κ with the editor</th><th>weight (weights = editor)</th>"
	      "</tr>\n",
	      fp);
	for (k = 0; k < r->njudges; k++) {
		const struct jury_judge *j = &r->judges[k];

		fputs("<tr><td class=\"judge\">", fp);
		page_jury_text(fp, j->name);
		fprintf(fp, "</td><td>%s</td><td class=\"n\">%zu</td>",
		        j->llm ? "LLM" : "heuristic", j->days);
		if (isnan(j->kappa))
			fputs("<td class=\"n\">-</td>", fp);
		else
			fprintf(fp, "<td class=\"n\">%.2f</td>", j->kappa);
		fprintf(fp, "<td class=\"n\">%.2f%s</td></tr>\n", j->weight,
		        applied && j->llm ? " (in use)" : "");
	}
	fprintf(fp,
	        "<tr><td class=\"judge\">(pool)</td><td></td>"
	        "<td class=\"n\">%zu</td>",
	        r->days);
	if (isnan(r->pool_kappa))
		fputs("<td class=\"n\">-</td><td></td></tr>\n", fp);
	else
		fprintf(fp, "<td class=\"n\">%.2f</td><td></td></tr>\n",
		        r->pool_kappa);
	fputs("</table>\n", fp);
}

void cli_page_jury(FILE *fp, const struct digest *d)
{
	struct jury_report r;
	struct buf err = BUF_INIT(256);
	char last[DATE_DAY_LEN];
	bool applied = d->pc.weights == PANEL_WEIGHTS_EDITOR;

	fputs("<section id=\"jury\">\n<h2>The jury</h2>\n", fp);
	memset(&r, 0, sizeof r);
	if (!d->env || !d->env->store ||
	    jury_day_shift(d->date, -1, last) != 0 ||
	    jury_measure(d->env->store, last, JURY_WEIGHT_DAYS, &r, &err) !=
	            0) {
		fputs("<p class=\"why\">The jury could not be read: ", fp);
		page_jury_text(fp, err.len ? buf_cstr(&err) : "no store");
		fputs("</p>\n</section>\n", fp);
		jury_report_free(&r);
		buf_free(&err);
		return;
	}
	fprintf(fp,
	        "<p>The judges against the editor's final selection on the "
	        "<strong id=\"jury-days\">%zu</strong> published days from "
	        "%s to %s (Cohen's κ on selected or not: 1 the editor's "
	        "choice, 0 chance); the editor picked on %zu of them.</p>\n",
	        r.days, r.from, r.to, r.days_picked);
	if (r.days > 0)
		page_jury_table(fp, &r, applied);
	if (r.weights_status == POOL_EDITOR_FEW_DAYS)
		fprintf(fp,
		        "<p class=\"why\">weights = editor waits for %d "
		        "recorded days (the LLM judges have %zu): every "
		        "weight is 1 until then.</p>\n",
		        POOL_EDITOR_MIN_DAYS, r.llm_days);
	else if (r.weights_status == POOL_EDITOR_NO_SIGNAL)
		fputs("<p class=\"why\">The judges agree with the editor no "
		      "better than chance: every weight is 1.</p>\n",
		      fp);
	fputs("</section>\n", fp);
	jury_report_free(&r);
	buf_free(&err);
}
