import io
import zipfile
from datetime import date
from datetime import datetime
from unittest.mock import patch

from freezegun import freeze_time

from ..models import csc_monthly_report
from .common import CscCase
from .common import force
from .common import force_create


def d(day, hour=9, month=3):
    """A moment of 2026 (March unless told), UTC."""
    return datetime(2026, month, day, hour)


def pin(record, deadlines):
    """Set deadlines by hand once what they are computed from is written (and computed)."""
    record.env.flush_all()
    force(record, deadlines)


class TestMonthlyReportDue(CscCase):
    """Timeliness counted on what was due (R-I1, R-H2, issue 20): a March 2026 with, for each
    kind of deadline, cases done on time, done late, still open past their deadline at the end
    of the month (or done only after it), cancelled, and due in another month. Every deadline
    is set by hand, so that each count below can be recounted from this set-up."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls._tickets()
        cls._visits()
        cls._complaints()
        cls._loans()
        cls.report = cls.env["csc.monthly.report"].create({"date_start": "2026-03-01"})

    # -- set-up --------------------------------------------------------------------------------

    @classmethod
    def _tickets(cls):
        Ticket = cls.env["helpdesk.ticket"]
        cancelled = cls.env.ref("helpdesk_mgmt.helpdesk_ticket_stage_cancelled")
        rows = [
            # (name, registered, relay due, reply due, replied, extra)
            ("T1", d(2, 10), d(2, 13), d(3), d(2, 15), {}),  # both on time
            ("T2", d(6), d(5, 13), d(6, 17), d(9), {}),  # both late
            ("T3", d(30, 10), d(30, 13), d(31, 17), False, {}),  # reply open overdue
            ("T4", d(12), d(10), d(11), False, {"stage_id": cancelled.id}),  # cancelled
            ("T5", d(12), d(10), d(11), False, {"csc_kind": False}),  # not a customer message
        ]
        cls.tickets = {}
        for name, registered, relay, reply, replied, extra in rows:
            ticket = Ticket.create(
                {
                    "name": name,
                    "description": "<p>?</p>",
                    "partner_id": cls.customer.id,
                    "csc_kind": "consultation",
                    "csc_date_received": relay,
                }
            )
            force(ticket, {"csc_date_replied": replied, **extra})
            pin(ticket, {"csc_date_relay_deadline": relay, "csc_date_reply_deadline": reply})
            # The registration is the ticket's creation; set-up only.
            cls.env.cr.execute(
                "UPDATE helpdesk_ticket SET create_date = %s WHERE id = %s",
                (registered, ticket.id),
            )
            cls.tickets[name] = ticket
        Ticket.invalidate_model(["create_date"])

    @classmethod
    def _visits(cls):
        Visit = cls.env["csc.service.visit"]
        rows = {
            # state, requested, triage due/done, on site by/arrived, report due/done,
            # verification due/done
            "A": ("reported", d(2), (d(2, 17), d(2, 12)), (d(5, 10), d(5)), (d(10), d(12)),
                  (d(20), False)),
            "B": ("verified", d(8), (d(9), d(2, 9, 4)), (d(10, 10), d(11)), (d(16), d(13)),
                  (d(25), d(24))),
            "C": ("dispatched", d(15), (d(16), d(17)), (d(20), False), (False, False),
                  (False, False)),
            "D": ("cancelled", d(13), (d(14), False), (d(15), False), (False, False),
                  (False, False)),
            "E": ("phone", d(2), (d(3), d(3, 8)), (d(25), False), (False, False),
                  (False, False)),
            "F": ("triaged", d(30), (d(31, 10), d(31)), (d(2, 9, 4), False), (False, False),
                  (False, False)),
            "G": ("done", d(20, 9, 2), (d(21, 9, 2), d(21, 8, 2)), (d(27, 9, 2), d(1)),
                  (d(28, 9, 2), False), (False, False)),
        }  # fmt: skip
        cls.visits = {}
        for name, (state, requested, triage, arrival, report, verification) in rows.items():
            visit = Visit.create(
                {"partner_id": cls.customer.id, "date_request": requested, "distance": 100}
            )
            force(
                visit,
                {
                    "state": state,
                    "date_triaged": triage[1],
                    "date_arrival": arrival[1],
                    "date_report": report[1],
                    "date_verified": verification[1],
                },
            )
            pin(
                visit,
                {
                    "date_triage_deadline": triage[0],
                    "date_dispatch_deadline": arrival[0],
                    "date_report_due": report[0],
                    "date_verification_due": verification[0],
                },
            )
            cls.visits[name] = visit

    @classmethod
    def _complaints(cls):
        Complaint = cls.env["csc.complaint"]
        rows = {
            # state, handling due/solved, resolution due/closed, serious due
            "K1": ("closed", (d(5), d(4)), (d(20), d(18)), d(3)),
            "K2": ("solved", (d(9), d(12)), (d(25), False), False),
            "K3": ("investigation", (d(20), False), (d(10, 9, 4), False), False),
            "K4": ("draft", (d(6), False), (d(15), False), False),  # cancelled below
        }
        cls.complaints = {}
        for name, (state, handling, resolution, serious) in rows.items():
            complaint = Complaint.create(
                {"title": name, "partner_id": cls.customer.id, "date_received": d(2)}
            )
            force(
                complaint,
                {"state": state, "date_solved": handling[1], "date_closed": resolution[1]},
            )
            pin(
                complaint,
                {
                    "date_deadline": handling[0],
                    "date_resolution_deadline": resolution[0],
                    "date_serious_deadline": serious,
                },
            )
            cls.complaints[name] = complaint
        # The customer visited or written to by 4 March 9:00 (48 h): K1 on time, K2 late, K3
        # never; K2's responsibility meeting, due 9 March 13:00, held late.
        force(cls.complaints["K1"], {"date_contacted": d(3), "contact_method": "visit"})
        force(
            cls.complaints["K2"],
            {
                "date_contacted": d(5),
                "contact_method": "letter",
                "date_meeting_deadline": d(9, 13),
                "date_meeting_held": d(9, 15),
            },
        )
        k1, k2, k3, k4 = cls.complaints.values()
        EightD = cls.env["csc.eightd"]
        for complaint, containment, contained, due, closed in (
            (k1, d(3), d(2, 20), d(12), d(14)),  # contained on time, 8D closed late
            (k2, d(4), False, d(4, 9, 4), False),  # containment open overdue
            (k4, d(7), False, d(10), False),  # its complaint is cancelled
        ):
            force(
                force_create(EightD, {"complaint_id": complaint.id}),
                {
                    "date_containment_deadline": containment,
                    "date_contained": contained,
                    "date_deadline": due,
                    "date_closed": closed,
                    "state": "closed" if closed else "open",
                },
            )
        Action = cls.env["csc.action"]
        for complaint, due, done in (
            (k1, date(2026, 3, 10), date(2026, 3, 10)),  # on time (done on the day)
            (k2, date(2026, 3, 12), date(2026, 3, 15)),  # late
            (k3, date(2026, 3, 31), False),  # open overdue: due the last day, not done
            (k1, date(2026, 3, 31), date(2026, 4, 1)),  # done only after the month: open
            (k4, date(2026, 3, 5), False),  # its complaint is cancelled
        ):
            action = force_create(
                Action,
                {
                    "name": f"Action {complaint.title}",
                    "complaint_id": complaint.id,
                    "user_id": cls.quality_user.id,
                    "date_due": due,
                },
            )
            force(action, {"date_done": done, "state": "done" if done else "open"})
        product = cls.env["product.product"].create({"name": "Housing", "is_storable": True})
        Rework = cls.env["csc.rework.plan"]
        for complaint, needed, done, state in (
            (k1, date(2026, 3, 15), d(15, 18), "done"),  # done on the day needed
            (k2, date(2026, 3, 20), False, "in_progress"),  # open overdue
            (k3, date(2026, 3, 10), False, "cancelled"),
        ):
            returned = force_create(
                cls.env["csc.complaint.return"],
                {"complaint_id": complaint.id, "product_id": product.id, "quantity": 2},
            )
            plan = force_create(
                Rework, {"return_id": returned.id, "quantity": 2, "date_needed": needed}
            )
            force(plan, {"state": state, "date_done": done, "qty_done": 2 if done else 0})
        force(k4, {"state": "cancelled"})

    @classmethod
    def _loans(cls):
        Loan = cls.env["csc.part.loan"]
        rows = {
            # state, lent, settlement due, settled
            "L1": ("zeroed", d(20, 9, 2), d(3), d(2)),  # on time
            "L2": ("zeroed", d(5), d(10), d(12)),  # late
            "L3": ("loaned", d(20), d(25), False),  # open overdue, outstanding
            "L4": ("zeroed", d(25), d(4, 9, 4), d(2, 9, 4)),  # outstanding at the end of March
            "L5": ("cancelled", False, d(8), False),  # cancelled: in no count
            "L6": ("loaned", d(3, 9, 4), d(6, 9, 4), False),  # lent after March
            "L7": ("loaned", d(10, 9, 1), d(20, 9, 1), False),  # outstanding since January
        }
        cls.loans = {}
        for name, (state, lent, due, settled) in rows.items():
            loan = Loan.create({"technician_id": cls.technician.id})
            force(loan, {"state": state, "date_loan": lent})
            pin(loan, {"date_settlement_due": due, "date_settled": settled})
            cls.loans[name] = loan

    # -- helpers -------------------------------------------------------------------------------

    def _due(self, report=None):
        figures = (report or self.report)._figures()
        return {row.kind: row[2:] for row in figures["due"]}, figures

    # -- tests ---------------------------------------------------------------------------------

    def test_every_kind_counted_on_what_was_due(self):
        due, figures = self._due()
        # (due, on time, done late, open overdue, on-time rate)
        self.assertEqual(
            due,
            {
                "relay": (3, 2, 1, 0, 66.7),  # T1 on time, T2 late, T3 on time; T4, T5 out
                "reply": (3, 1, 1, 1, 33.3),  # T1, T2 late, T3 never replied
                "contact": (3, 1, 1, 1, 33.3),  # T1 on time, T2 late, T3 never contacted
                "triage": (5, 3, 1, 1, 60.0),  # A, E, F on time, C late, B only in April
                "arrival": (3, 1, 1, 1, 33.3),  # A, B late, C not there; D, E, F, G not counted
                "trip_report": (2, 1, 1, 0, 50.0),  # B on time, A late
                "verification": (2, 1, 0, 1, 50.0),  # B on time, A not verified
                "handling": (3, 1, 1, 1, 33.3),  # K1, K2 late, K3 open; K4 cancelled
                "serious": (1, 0, 1, 0, 0.0),  # K1 solved a day late
                "complaint_contact": (3, 1, 1, 1, 33.3),  # K1 on time, K2 late, K3 never
                "meeting": (1, 0, 1, 0, 0.0),  # K2's held late
                "resolution": (2, 1, 0, 1, 50.0),  # K1, K2 still open; K3 due in April
                "containment": (2, 1, 0, 1, 50.0),  # K1's 8D, K2's open; K4's cancelled
                "eightd": (1, 0, 1, 0, 0.0),  # K1's 8D closed late; K2's due in April
                "action": (4, 1, 1, 2, 25.0),
                "rework": (2, 1, 0, 1, 50.0),
                "loan": (3, 1, 1, 1, 33.3),  # L1, L2 late, L3 open; L4 due in April
                "departure": (0, 0, 0, 0, None),  # no paid service confirmed: none promised
            },
        )
        # The KPIs read the same rows.
        self.assertEqual((figures["arrivals"], figures["arrival_rate"]), (3, 33.3))
        self.assertEqual((figures["replies"], figures["reply_rate"]), (3, 33.3))
        self.assertEqual(figures["closed_on_time_rate"], 50.0)
        kpis = {kpi.label: kpi[1:] for kpi in self.report._kpis(figures)}
        self.assertEqual(kpis["Arrival timeliness (%)"], (33.3, 90.0, False))
        self.assertEqual(kpis["Response timeliness (%)"], (33.3, 90.0, False))
        self.assertEqual(kpis["Complaints closed on time (%)"], (50.0, 90.0, False))

    def test_open_overdue_list(self):
        figures = self.report._figures()
        listed = [(row.kind, row.reference) for row in figures["open_overdue"]]
        v, k = self.visits, self.complaints
        self.assertEqual(
            listed,
            [
                ("reply", self.tickets["T3"].display_name),
                ("contact", self.tickets["T3"].display_name),
                ("triage", v["B"].display_name),
                ("arrival", v["C"].display_name),
                ("verification", v["A"].display_name),
                ("handling", k["K3"].display_name),
                ("complaint_contact", k["K3"].display_name),
                ("resolution", k["K2"].display_name),
                ("containment", k["K2"].eightd_ids.display_name),
                ("action", k["K3"].action_ids.display_name),
                ("action", k["K1"].action_ids.filtered("date_done")[-1:].display_name),
                ("rework", k["K2"].rework_ids.display_name),
                ("loan", self.loans["L3"].display_name),
            ],
        )
        self.assertEqual(
            len(listed), sum(row.open_overdue for row in figures["due"]), "each case once"
        )
        arrival = next(row for row in figures["open_overdue"] if row.kind == "arrival")
        self.assertEqual(arrival.partner, self.customer.display_name)
        self.assertEqual(arrival.days_overdue, 11.6)  # 20 March 9:00 to 1 April 0:00
        action = next(row for row in figures["open_overdue"] if row.kind == "action")
        self.assertEqual((action.deadline, action.days_overdue), ("2026-03-31", 1))

    def test_cancelled_records_are_in_no_count(self):
        figures = self.report._figures()
        # Visits requested in March: A, B, C, E, F; D is cancelled, G was requested in February.
        self.assertEqual(figures["visit_total"], 5)
        # Complaints received in March: K1..K3; K4 is cancelled.
        self.assertEqual(figures["complaints_received"], 3)
        self.assertEqual((figures["complaints_closed"], figures["mean_days_to_close"]), (1, 16.0))
        # Rework: R1 done in March, on the customer's date.
        self.assertEqual((figures["rework_done"], figures["rework_on_time_rate"]), (1, 100.0))
        references = {row.reference for row in figures["open_overdue"]}
        self.assertNotIn(self.visits["D"].display_name, references)
        self.assertNotIn(self.complaints["K4"].display_name, references)
        self.assertNotIn(self.loans["L5"].display_name, references)

    def test_loans_outstanding_as_of_the_end_of_the_month(self):
        # L3 (open), L4 (settled in April), L7 (lent in January); L6 lent in April.
        self.assertEqual(self.report._figures()["loans_outstanding"], 3)
        february = self.env["csc.monthly.report"].create({"date_start": "2026-02-01"})
        # L1 (lent 20 February, settled 2 March) and L7.
        self.assertEqual(february._figures()["loans_outstanding"], 2)
        april = self.env["csc.monthly.report"].create({"date_start": "2026-04-01"})
        # L3, L6, L7; L4 settled on 2 April.
        self.assertEqual(april._figures()["loans_outstanding"], 3)
        # The settlement deadlines of April: L4 on time, L6 still open.
        self.assertEqual(self._due(april)[0]["loan"], (2, 1, 0, 1, 50.0))

    def test_running_month_measured_now(self):
        """In the running month only what is already past its deadline is due."""
        with freeze_time("2026-03-20 12:00:00"):
            due, _figures = self._due()
        self.assertEqual(due["action"], (2, 1, 1, 0, 50.0))  # those due on 31 March not yet
        self.assertEqual(due["loan"], (2, 1, 1, 0, 50.0))  # L3 is due on 25 March
        self.assertEqual(due["arrival"], (3, 1, 1, 1, 33.3))  # C was due at 9:00

    def test_settled_on_comes_from_the_loan_moves(self):
        part = self.env["product.product"].create({"name": "Seal", "is_storable": True})
        self.env["stock.quant"]._update_available_quantity(
            part, self.env.ref("stock.stock_location_stock"), 5
        )
        loan = self.env["csc.part.loan"].create(
            {
                "technician_id": self.technician.id,
                "line_ids": [(0, 0, {"product_id": part.id, "quantity": 2})],
            }
        )
        loan.with_user(self.clerk).action_confirm()
        self.assertFalse(loan.date_settled)
        loan.line_ids.qty_returned_todo = 1
        loan.with_user(self.clerk).action_settle()
        self.assertFalse(loan.date_settled)  # one part still out
        loan.line_ids.qty_consumed_todo = 1
        loan.with_user(self.clerk).action_settle()
        last = loan.line_ids.move_ids.filtered(lambda m: m.csc_loan_role == "consumed")
        self.assertEqual(loan.date_settled, last.date)

    def test_long_list_is_cut_with_the_rest_counted(self):
        with patch.object(csc_monthly_report, "OVERDUE_LIST_LIMIT", 1):
            figures = self.report._figures_live()
        actions = [row for row in figures["open_overdue"] if row.kind == "action"]
        self.assertEqual(len(actions), 1)
        [section] = [
            section
            for section in self.report._sections(figures)
            if section.title == "Open overdue at the end of the month"
        ]
        self.assertIn(("… and 1 more",), [row[1:2] for row in section.rows])

    def test_dashboard_report_and_spreadsheet_show_the_figures(self):
        card = self.report.kpi_html
        self.assertIn("Open past their deadline at the month", card)
        self.assertRegex(card, r"text-bg-danger\">13<")
        html = (
            self.env["ir.actions.report"]
            ._render_qweb_html("customer_service_control.report_monthly", self.report.ids)[0]
            .decode()
        )
        for text in (
            "Timeliness on what was due",
            "Open overdue at the end of the month",
            "Spare-part loans settled (R-F4)",
            self.loans["L3"].display_name,
        ):
            self.assertIn(text, html)
        xlsx, _kind = self.env["ir.actions.report"]._render_xlsx(
            "customer_service_control.monthly_report_xlsx", self.report.ids, {}
        )
        with zipfile.ZipFile(io.BytesIO(xlsx)) as book:
            strings = book.read("xl/sharedStrings.xml").decode()
        for text in ("Open overdue at the end of the month", self.visits["C"].display_name):
            self.assertIn(text, strings)

    def test_issued_figures_stored_and_old_reports_still_render(self):
        report = self.report
        figures = report._figures_live()
        stored = report._figures_to_json(figures)
        self.assertEqual(report._figures_from_json(stored), figures)
        # A report issued before the due figures existed: no such keys in its JSON.
        old = {
            key: value
            for key, value in stored.items()
            if key not in ("due", "open_overdue", "loans_outstanding")
        }
        old["loans_outstanding"] = 4
        force(report, {"state": "issued", "issued_figures": old})
        self.assertEqual(report._figures()["loans_outstanding"], 4)
        html = (
            self.env["ir.actions.report"]
            ._render_qweb_html("customer_service_control.report_monthly", report.ids)[0]
            .decode()
        )
        self.assertIn("Key performance indicators", html)
        self.assertNotIn("Timeliness on what was due", html)
        self.assertNotIn("Open past their deadline", report.kpi_html)

    def test_queries_do_not_grow_with_the_cases(self):
        """One query per kind (and one more per kind with open overdue cases), whatever the
        number of cases."""

        def queries():
            self.env.invalidate_all()
            count = self.cr.sql_log_count
            self.report._figures_due()
            return self.cr.sql_log_count - count

        queries()  # warm the caches (the cancelled stage's xmlid...)
        before = queries()
        self.env["csc.action"].create(
            [
                {
                    "name": f"Late action {n}",
                    "complaint_id": self.complaints["K3"].id,
                    "user_id": self.quality_user.id,
                    "date_due": date(2026, 3, 20 + n),
                }
                for n in range(5)
            ]
        )
        self.env.flush_all()
        self.assertEqual(queries(), before)
        self.assertEqual(self._due()[0]["action"], (9, 1, 1, 7, 11.1))
        # Open overdue cases of other customers: their names are read together, one query
        # whether they are two or five.
        counts = []
        for batch in (2, 3):
            for n in range(batch):
                customer = self.env["res.partner"].create({"name": f"Other OEM {batch}-{n}"})
                complaint = self.env["csc.complaint"].create(
                    {"title": f"Other {n}", "partner_id": customer.id, "date_received": d(2)}
                )
                pin(complaint, {"date_deadline": d(21 + n)})
            self.env.flush_all()
            counts.append(queries())
        self.assertEqual(counts[0], counts[1])
        self.assertEqual(self._due()[0]["handling"][3], 6)
        self.assertLessEqual(before, 3 * len(self.report._due_kinds()))

    def test_relay_deadline_is_stored_with_the_commitments(self):
        """The relay deadline the figure reads is the one the 'relayed late' flag uses."""
        ticket = self.env["helpdesk.ticket"].create(
            {
                "name": "Relayed",
                "description": "<p>?</p>",
                "csc_kind": "consultation",
                "csc_date_received": d(2, 9),
            }
        )
        self.assertGreater(ticket.csc_date_relay_deadline, d(2, 9))
        self.assertLess(ticket.csc_date_relay_deadline, ticket.csc_date_reply_deadline)
        self.assertIs(ticket.csc_relay_late, ticket.create_date > ticket.csc_date_relay_deadline)

    def test_changes_not_yet_written_are_counted(self):
        """The counts are read in SQL: a done date set in the same transaction, still held by
        the ORM, counts at once."""
        before = self._due()[0]["handling"]
        open_case = self.env["csc.complaint"].search(
            [
                ("state", "!=", "cancelled"),
                ("date_deadline", ">=", d(1)),
                ("date_deadline", "<", d(31)),
                ("date_solved", "=", False),
            ],
            limit=1,
        )
        self.assertTrue(open_case)
        self.env.flush_all()
        open_case.sudo().with_context(install_mode=True).write(
            {"date_solved": open_case.date_deadline}
        )
        self.assertIn("date_solved", {f.name for f in self.env.cache.get_dirty_fields()})
        after = self._due()[0]["handling"]
        self.assertEqual((after[1], after[3]), (before[1] + 1, before[3] - 1))
