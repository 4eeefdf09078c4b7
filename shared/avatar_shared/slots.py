"""The names of the conversation slots that hold a person's data: what the registration form
and the look-up ask for (domain/registration.yml), and a message left for a person
(domain/contact.yml). The action server empties them after use, the missed-messages report
withholds what was typed for them, and erasure rewrites them.
tests/test_shared.py checks that the domain has each one.
"""

# what the registration form asks: the person's name, e-mail and municipality/organisation
REGISTRATION_ANSWERS = ("full_name", "email", "affiliation")
# the e-mail typed to look up or cancel a registration
LOOKUP_EMAIL = "lookup_email"
# a message left for a person (actions/messages.py, domain/contact.yml): its text and the
# address to answer to
MESSAGE_ANSWERS = ("message_text", "message_email")
# a person's data, beyond the confirmation codes
PERSONAL_SLOTS = (*REGISTRATION_ANSWERS, LOOKUP_EMAIL, *MESSAGE_ANSWERS)
# the confirmation code shown after registering, and the one typed to look one up
CODE_SLOTS = ("registration_code", "lookup_code")
