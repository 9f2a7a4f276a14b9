import { registry } from "@web/core/registry";

// A customer-service desk user registers a customer file from Customer Service > Customers.
registry.category("web_tour.tours").add("csc_customer_file_tour", {
    steps: () => [
        {
            content: "Create a customer",
            trigger: ".o_list_button_add",
            run: "click",
        },
        {
            content: "Name the customer",
            trigger: ".o_field_widget[name=name] input",
            run: "edit Tour Tractor Works",
        },
        {
            content: "Open the Customer Service tab",
            trigger: "a[name=customer_service]",
            run: "click",
        },
        {
            content: "Key customer",
            trigger: ".o_field_widget[name=csc_relation_class] select",
            run: 'select "key"',
        },
        {
            content: "Grade A",
            trigger: ".o_field_widget[name=csc_grade] select",
            run: 'select "a"',
        },
        {
            content: "The visit interval follows the class",
            trigger: ".o_field_widget[name=csc_visit_interval] input:value(182)",
        },
        {
            content: "Last visit",
            trigger: ".o_field_widget[name=csc_last_visit_date] input",
            run: "edit 01/10/2026 && press Enter",
        },
        {
            content: "Save",
            trigger: ".o_form_button_save",
            run: "click",
        },
        {
            content: "Next visit due is computed",
            trigger: ".o_form_saved .o_field_widget[name=csc_next_visit_date]:contains(07/11/2026)",
        },
    ],
});
