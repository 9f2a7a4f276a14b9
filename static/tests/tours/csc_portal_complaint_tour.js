import { registry } from "@web/core/registry";

// A customer's contact files a complaint from the portal, finds its deadlines, asks a question
// in its chatter and follows it in the list of complaints.
registry.category("web_tour.tours").add("csc_portal_complaint_tour", {
    steps: () => [
        {
            content: "File a complaint from /my",
            trigger: "a[href='/new/ticket?csc_kind=complaint']",
            run: "click",
        },
        {
            content: "The kind is a complaint",
            trigger: "select[name=csc_kind]:has(option[value=complaint]:selected)",
        },
        {
            content: "Subject",
            trigger: "input[name=subject]",
            run: "edit Steering wheel vibrates",
        },
        {
            content: "Description",
            trigger: "textarea[name=description]",
            run: "edit The steering wheel vibrates above 80 km/h on 12 vehicles.",
        },
        {
            content: "Send it",
            trigger: "form[action='/submitted/ticket'] button[type=submit]",
            run: "click",
        },
        {
            content: "The complaint page shows it, with the deadlines promised",
            trigger: ".o_csc_portal_complaint:contains(Steering wheel vibrates):contains(Handled By):contains(Registered)",
        },
        {
            content: "Ask a question in the chatter (its assets load lazily: slow on a busy machine)",
            trigger: "#chatterRoot:shadow .o-mail-Composer-input",
            timeout: 30000,
            run: "edit Is the containment done?",
        },
        {
            content: "Send the message",
            trigger: "#chatterRoot:shadow .o-mail-Composer-send:enabled",
            run: "click",
        },
        {
            content: "The message is in the thread",
            trigger: "#chatterRoot:shadow .o-mail-Message:contains(Is the containment done?)",
        },
        {
            content: "Back to the list of complaints",
            trigger: ".breadcrumb a[href='/my/complaints']",
            run: "click",
        },
        {
            content: "The complaint is listed",
            trigger: ".o_portal_my_doc_table tr:contains(Steering wheel vibrates) a",
            run: "click",
        },
        {
            content: "And opens again",
            trigger: ".o_csc_portal_complaint:contains(Steering wheel vibrates)",
        },
    ],
});
