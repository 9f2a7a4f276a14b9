"""Loan lines read their quantities from their done stock moves since 18.0.1.1.0: link the moves
of the loans booked before."""

from odoo import SUPERUSER_ID
from odoo import api


def migrate(cr, version):
    if not version:
        return
    env = api.Environment(cr, SUPERUSER_ID, {})
    env["csc.part.loan"].search([("state", "!=", "draft")])._csc_link_moves()
