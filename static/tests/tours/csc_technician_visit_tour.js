import { registry } from "@web/core/registry";

// A technician on a dispatched visit: sets off, arrives, records the findings, gets the customer's
// signature...
registry.category("web_tour.tours").add("csc_technician_on_site_tour", {
    steps: () => [
        {
            content: "Open the On Site tab",
            trigger: "a[name=on_site]",
            run: "click",
        },
        {
            content: "Plan confirmed to the customer",
            trigger: ".o_field_widget[name=plan_confirmed] input",
            run: "click",
        },
        {
            content: "Parts and tools checked",
            trigger: ".o_field_widget[name=tools_ready] input",
            run: "click",
        },
        {
            content: "Set off for the customer",
            trigger: "button[name=action_depart]",
            run: "click",
        },
        {
            content: "Arrive on site",
            trigger: "button[name=action_arrive]",
            run: "click",
        },
        {
            content: "On site",
            trigger: ".o_statusbar_status .o_arrow_button_current:contains(On Site)",
        },
        {
            content: "Running hours",
            trigger: ".o_field_widget[name=running_hours] input",
            run: "edit 1250",
        },
        {
            content: "Findings",
            trigger: ".o_field_widget[name=findings] textarea",
            run: "edit Pinion seal lip cut, oil on the rack boot",
        },
        {
            content: "Work done",
            trigger: ".o_field_widget[name=work_done] textarea",
            run: "edit Seal kit replaced, pressure test 120 bar OK",
        },
        {
            content: "Full check of the unit",
            trigger: ".o_field_widget[name=full_check] input",
            run: "click",
        },
        {
            content: "Open the customer sign-off",
            trigger: "a[name=sign_off]",
            run: "click",
        },
        {
            content: "Customer's opinion",
            trigger: ".o_field_widget[name=customer_opinion] textarea",
            run: "edit Fast and clean repair",
        },
        {
            content: "Signed by",
            trigger: ".o_field_widget[name=customer_signed_by] input",
            run: "edit Liu Yang",
        },
        {
            content: "Ask the customer to sign",
            trigger: ".o_field_widget[name=customer_signature] .o_signature",
            run: "click",
        },
        {
            content: "Adopt and sign",
            trigger: ".modal .modal-footer .btn-primary:enabled",
            run: "click",
        },
        {
            content: "Save",
            trigger: ".o_form_button_save",
            run: "click",
        },
        {
            content: "Saved with the signature",
            trigger: ".o_form_saved .o_field_widget[name=customer_signature] img.o_signature",
        },
    ],
});

// ... then, once the desk approved leaving, signs off, is back at the company and submits the
// trip report.
registry.category("web_tour.tours").add("csc_technician_trip_report_tour", {
    steps: () => [
        {
            content: "Sign off the visit",
            trigger: "button[name=action_finish]",
            run: "click",
        },
        {
            content: "Signed off",
            trigger: ".o_statusbar_status .o_arrow_button_current:contains(Signed Off)",
        },
        {
            content: "Back at the company: the trip report is due from now",
            trigger: "button[name=action_back_at_company]",
            run: "click",
        },
        {
            content: "Open the trip report",
            trigger: "button[name=action_submit_report]",
        },
        {
            content: "Trip report tab",
            trigger: "a[name=report]",
            run: "click",
        },
        {
            content: "Write the trip report",
            trigger: ".o_field_widget[name=trip_report] textarea",
            run: "edit Seal replaced in 3 hours; customer satisfied",
        },
        {
            content: "Submit the trip report",
            trigger: "button[name=action_submit_report]",
            run: "click",
        },
        {
            content: "Submitted",
            trigger: ".o_statusbar_status .o_arrow_button_current:contains(Trip Report Submitted)",
        },
    ],
});
