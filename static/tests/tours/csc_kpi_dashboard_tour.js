import { registry } from "@web/core/registry";

// The service manager adds a month to the KPI dashboard, reads its report, and goes back to
// the cards.
registry.category("web_tour.tours").add("csc_kpi_dashboard_tour", {
    steps: () => [
        {
            content: "Add a month",
            trigger: ".o-kanban-button-new",
            run: "click",
        },
        {
            content: "March 2026",
            trigger: ".o_field_widget[name=date_start] input",
            run: "edit 03/01/2026 && press Enter",
        },
        {
            content: "Save",
            trigger: ".o_form_button_save",
            run: "click",
        },
        {
            content: "The report shows the indicators and the technician's services",
            trigger: ".o_form_saved .o_field_widget[name=summary_html]:contains(Key performance indicators):contains(Tour Technician)",
        },
        {
            content: "Back to the dashboard",
            trigger: ".breadcrumb-item a:contains(KPI Dashboard)",
            run: "click",
        },
        {
            content: "The month's card shows the on-time arrival as met",
            trigger: ".o_kanban_record:contains(2026-03) .badge.text-bg-success:contains(100.0)",
        },
    ],
});
