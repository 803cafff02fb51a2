"""Generate hubguard's own modern inbox examples: src/hubguard/spam/data/generated.jsonl.

The SpamAssassin corpus (1997-2003) has almost no SEO pitches, agency outreach, invoice scams,
Microsoft 365 phishing or bot form fills, and the inbox-examples set is small. These hand-written
templates, filled from hand-written slot lists with a fixed seed, add several hundred modern
messages of both classes (and the newsletter / auto-reply categories), in e-mail, chat and form
shape, so the shipped model learns today's inbox. Re-run to rebuild the file byte for byte:

    .venv/bin/python tools/spam_generate_examples.py
"""

from __future__ import annotations

import json
import random
from pathlib import Path

OUT = Path(__file__).resolve().parents[1] / "src/hubguard/spam/data/generated.jsonl"
SEED = 20261128
PER_TEMPLATE = 7

SLOTS: dict[str, list[str]] = {
    "shop": [
        "Nordlicht Outdoor",
        "Bakkerij de Kroon",
        "Velo Atelier",
        "Greenleaf Tea Co.",
        "Studio Lumen",
        "Harbor Kitchenware",
        "Pixelpaper Print",
        "Alpine Bike Parts",
        "Casa Ceramica",
        "Brightside Pets",
    ],
    "first": [
        "Anna",
        "Tom",
        "Lisa",
        "Marco",
        "Sophie",
        "Jan",
        "Emma",
        "Lukas",
        "Priya",
        "Oliver",
        "Katarzyna",
        "Pieter",
        "Giulia",
        "Ahmed",
        "Chloe",
        "Daniel",
    ],
    "last": [
        "Jansen",
        "Müller",
        "Rossi",
        "Kowalski",
        "Smith",
        "de Boer",
        "Schneider",
        "Bianchi",
        "Nowak",
        "Brown",
        "Visser",
        "Weber",
    ],
    "product": [
        "the trail backpack",
        "the 12-cup kettle",
        "the ceramic planter",
        "the bike pump",
        "the tea sampler",
        "the A3 art prints",
        "the dog bed (large)",
        "the chef knife",
        "the rain jacket",
        "the gift card",
    ],
    "order": ["10482", "22917", "A-3391", "77120", "58834", "B-2045", "31007", "90412"],
    "day": ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday"],
    "amount": ["1,240.00", "3,875.50", "860.00", "12,400.00", "2,199.99", "4,560.00"],
    "seo_site": [
        "rankboostpro.net",
        "linkvista-media.com",
        "seo-growthhub.io",
        "topserp-agency.co",
        "authoritylinks.xyz",
        "guestpostdeals.net",
    ],
    "agency": [
        "Brightwave Digital",
        "Nexora Solutions",
        "Growthly Labs",
        "CodeCraft Offshore",
        "ScaleUp Partners",
        "LeadForge Media",
        "Pixelmint Studio",
    ],
    "phish_dom": [
        "m365-secure-login.com",
        "office-docs-share.net",
        "outlook-verify-center.xyz",
        "sharepoint-files.online",
        "dhl-parcel-redelivery.info",
        "secure-banking-check.top",
        "docs-review-portal.site",
        "mailbox-quota-upgrade.click",
    ],
    "brand": [
        "Microsoft 365",
        "SharePoint",
        "OneDrive",
        "DocuSign",
        "Outlook Web Access",
        "Adobe Sign",
    ],
    "carrier": ["DHL", "PostNL", "UPS", "DPD", "FedEx"],
    "crypto": ["Bitcoin", "USDT", "Ethereum", "BTC"],
    "city": ["Utrecht", "Hamburg", "Milan", "Kraków", "Leeds", "Lyon", "Antwerp", "Vienna"],
    "gib": [
        "xjqwrtz",
        "kdfjghsk",
        "qwpzmvn",
        "hjkdsfh",
        "zzxvbnq",
        "rtyqwpl",
        "mnbvcxzq",
        "plokijuh",
    ],
    "gib_name": ["RobertNuh", "Jamesvom", "Henrycaf", "MichaelWeity", "Davidzem", "Eugenetax"],
    "weird_dom": ["mail-x7.ru", "cheapmail-42.top", "kasino-bonus.xyz", "free-offerz.click"],
}

# (label, category, channel, subject, text, from) — {slot} placeholders.
SPAM: list[tuple[str, str, str | None, str, str]] = [
    (
        "cold_outreach",
        "EMAIL",
        "Guest post opportunity for {shop}",
        "Hi there,\n\nI came across your website and loved your content. I'm reaching out to offer a "
        "guest post on our high authority sites (DA 50+) with do-follow backlinks. This will help you "
        "rank higher on the first page of Google.\n\nPrices start at $80 per link. Interested?\n\n"
        "Best,\n{first}\n{seo_site}",
        "{first}.outreach@gmail.com",
    ),
    (
        "cold_outreach",
        "EMAIL",
        "Quick question about your website",
        "Hello {shop} team,\n\nI ran a free SEO audit on your website and found 37 issues that stop you "
        "from getting organic traffic. Our SEO services can fix them and boost your Google ranking in "
        "30 days.\n\nShall I send you the full report? Just reply YES.\n\n{first} {last}\nSEO Consultant",
        "{first}{last}seo@outlook.com",
    ),
    (
        "cold_outreach",
        "EMAIL",
        "Re: link insertion on your blog",
        "Hi,\n\nJust following up on my previous email. We would like to place a link insertion in one "
        "of your existing blog articles. We pay $50 per niche edit via PayPal.\n\nLooking forward to "
        "hearing from you.\n{first}",
        "{first}.links@{seo_site}",
    ),
    (
        "cold_outreach",
        "EMAIL",
        "{shop} x {agency}",
        "Hi {first},\n\nWe help e-commerce brands like {shop} scale their revenue with performance "
        "marketing. Our clients see an average ROI of 4.2x within 90 days.\n\nAre you the right person "
        "to talk to about growth? Open to a 15-minute call this week? Here is my calendly: "
        "https://calendly.com/{agency_slug}/intro\n\nCheers,\n{first2} from {agency}",
        "{first2}@{agency_slug}.com",
    ),
    (
        "cold_outreach",
        "EMAIL",
        "Dedicated developers for your team",
        "Dear Sir/Madam,\n\nWe are {agency}, an offshore software company with 200+ developers. We "
        "offer white-label web design services, app development and dedicated team outsourcing at 40% "
        "lower cost.\n\nCan we schedule a call to discuss your requirements?\n\nRegards,\n{first2}\n"
        "Business Development Manager",
        "bd.{first2}@{agency_slug}.in",
    ),
    (
        "cold_outreach",
        "EMAIL",
        "Qualified leads for {shop}",
        "Hi {first},\n\nWhat if you had 20-30 qualified leads booked into your calendar every month? "
        "Our appointment setting and lead generation team does exactly that for brands in your space.\n\n"
        "Worth a chat? Book a call: https://{agency_slug}.com/book\n\n{first2}",
        "{first2}.growth@{agency_slug}.io",
    ),
    (
        "cold_outreach",
        "EMAIL",
        "Bumping this to the top of your inbox",
        "Hi {first},\n\nCircling back on my note from last week about redesigning your website. We "
        "have a case study from a similar brand that doubled conversions.\n\nWould {day} work for a quick "
        "call?\n\n{first2} | {agency}",
        "{first2}@{agency_slug}.co",
    ),
    (
        "cold_outreach",
        "EMAIL",
        "Collab opportunity with {shop}",
        "Hey! 👋 I'm a lifestyle influencer with 85k followers and I LOVE your products! I'd love to "
        "collab: I post 3 stories + 1 reel featuring {product} in exchange for free products and a "
        "small fee of €350. My rate card is attached. Let me know! 💕✨",
        "{first}.creates@gmail.com",
    ),
    (
        "cold_outreach",
        "FORM",
        "Website contact form",
        "Hi, I visited your website and noticed it is not ranking on Google for important keywords. "
        "We offer SEO services and guest posts at affordable prices. Please reply with your budget. "
        "Contact: {first}.seo@gmail.com",
        None,
    ),
    (
        "cold_outreach",
        "CHAT",
        None,
        "hello do you need website redesign or SEO services? we have best prices, can share portfolio",
        None,
    ),
    (
        "cold_outreach",
        "CHAT",
        None,
        "Hi! Are you the decision maker for marketing? We help brands get 10x more qualified leads, "
        "can I book a quick call?",
        None,
    ),
    (
        "phishing",
        "EMAIL",
        "Action required: your mailbox storage is full",
        "Dear user,\n\nYour mailbox storage is full (99.8%). You will stop receiving new messages within "
        "24 hours.\n\nUpgrade your storage now to keep your account active:\nhttps://{phish_dom}/upgrade"
        "\n\n{brand} Team",
        "no-reply@{phish_dom}",
    ),
    (
        "phishing",
        "EMAIL",
        "{first} {last} shared a document with you",
        "{first} {last} has shared a document with you via {brand}.\n\nDocument: Q4_Payment_Remittance.pdf"
        "\n\nSign in to view the document:\nhttps://{phish_dom}/view?id=83hd92\n\nThis link will expire "
        "in 48 hours.",
        "share@{phish_dom}",
    ),
    (
        "phishing",
        "EMAIL",
        "Unusual sign-in activity",
        "We detected an unusual sign-in to your {brand} account from {city}.\n\nIf this wasn't you, "
        "please verify your identity immediately or your account will be suspended:\n"
        "https://{phish_dom}/secure\n\nMicrosoft account team",
        "security@{phish_dom}",
    ),
    (
        "phishing",
        "EMAIL",
        "Your password expires today",
        "Your password expires today. To keep using your current password, confirm your account "
        "details below.\n\nKEEP SAME PASSWORD: https://{phish_dom}/keep\n\nIT Helpdesk",
        "it-helpdesk@{phish_dom}",
    ),
    (
        "phishing",
        "EMAIL",
        "{carrier}: your parcel could not be delivered",
        "Dear customer,\n\nYour parcel could not be delivered because of an unpaid customs fee of €2.99."
        "\nPlease pay within 48 hours to schedule a new delivery, otherwise it will be returned.\n\n"
        "https://{phish_dom}/track\n\n{carrier} Customer Service",
        "noreply@{phish_dom}",
    ),
    (
        "phishing",
        "EMAIL",
        "Updated bank details for invoice {order}",
        "Hello,\n\nPlease note that our bank details have changed. All outstanding invoices, including "
        "invoice {order} for €{amount}, should now be paid to our new bank account:\n\nIBAN: "
        "LT12 3250 0123 4567 8910\nSWIFT: REVOLT21\n\nPlease confirm once the wire transfer is done. "
        "This is urgent as the payment is overdue.\n\nKind regards,\n{first} {last}\nAccounts "
        "Receivable",
        "{first}.{last}.accounts@outlook.com",
    ),
    (
        "phishing",
        "EMAIL",
        "Overdue invoice {order} - final notice",
        "Dear customer,\n\nOur records show invoice {order} of €{amount} is still unpaid. This is a "
        "final notice before we pass the debt to a collection agency.\n\nDownload the invoice and pay "
        "immediately: https://{phish_dom}/invoice/{order}\n\nFinance Department",
        "billing@{phish_dom}",
    ),
    (
        "phishing",
        "EMAIL",
        "Copyright infringement notice",
        "Hello,\n\nYour website uses images that are protected by copyright. This is a copyright "
        "infringement and a DMCA violation. You can see the images and my proof of ownership here: "
        "https://{phish_dom}/proof\n\nIf you do not remove them within 24 hours, my lawyer will "
        "start legal action.\n\n{first} {last}, photographer",
        "{first}.{last}.photo@gmail.com",
    ),
    (
        "phishing",
        "EMAIL",
        "Re: Payment",
        "Hi,\n\nAre you at your desk? I need you to process an urgent wire transfer of €{amount} to a "
        "new supplier today. I'm in a meeting and can't talk. Reply to me ASAP and I'll send the bank "
        "details.\n\nSent from my iPhone",
        "ceo.{first}@gmail.com",
    ),
    (
        "phishing",
        "CHAT",
        None,
        "Your store account has been flagged for a policy violation. Verify your account within 24 "
        "hours here https://{phish_dom}/verify or it will be deactivated",
        None,
    ),
    (
        "other_spam",
        "EMAIL",
        "Guaranteed returns with {crypto} trading",
        "Dear friend,\n\nOur AI trading bot made our members 340% in 3 months. This is a risk-free "
        "investment opportunity with guaranteed returns. Start with only $250 and earn passive "
        "income every day!\n\nJoin now: https://{weird_dom}/join",
        "invest@{weird_dom}",
    ),
    (
        "other_spam",
        "EMAIL",
        "I recorded you",
        "Hello,\n\nI hacked your device and recorded you through your webcam. Your password is "
        "{gib}123. Pay $1500 in Bitcoin to the address below within 48 hours or I will send the video "
        "to all your contacts.\n\nBTC: bc1q{gib}{gib}",
        "{gib}@{weird_dom}",
    ),
    (
        "other_spam",
        "EMAIL",
        "Congratulations! You have won",
        "Congratulations!!! Your email address has won $1,500,000.00 in our international lottery. "
        "To claim your prize send your full name, address and phone number to our claims agent.",
        "claims.agent{order}@gmail.com",
    ),
    (
        "other_spam",
        "EMAIL",
        "Cheap meds online",
        "Best prices on Viagra, Cialis and weight loss pills! No prescription needed. Discreet "
        "shipping worldwide. Order now at https://{weird_dom}",
        "pharmacy@{weird_dom}",
    ),
    (
        "other_spam",
        "EMAIL",
        "Business proposal",
        "Dear Friend,\n\nI am a bank manager and I have a business proposal regarding an inheritance "
        "of 8.5 million dollars left by a deceased client with no next of kin. I want to present you as "
        "the beneficiary. You will receive 40%. Reply urgently with your private phone number.",
        "mr.{last}{order}@yahoo.com",
    ),
    (
        "bot_form_fill",
        "FORM",
        "Contact form: {gib}",
        "{gib} {gib} {gib}\nName: {gib_name}\nPhone: 8{order}{order}\nMessage: {gib_name} {gib}",
        "{gib}{order}@{weird_dom}",
    ),
    (
        "bot_form_fill",
        "FORM",
        "New form submission",
        "Name: {gib_name}\nEmail: {gib}@{weird_dom}\nMessage: Hello. And Bye. https://{weird_dom}/"
        "?{gib}",
        "{gib}@{weird_dom}",
    ),
    (
        "bot_form_fill",
        "FORM",
        None,
        "Hi! I am sending you a profitable offer: https://{weird_dom}/?ref={gib} casino bonus 200% "
        "cash bonus {gib_name}",
        "{gib_name}@{weird_dom}",
    ),
    (
        "bot_form_fill",
        "FORM",
        None,
        "{gib_name}\n{gib_name}\nhttps://{weird_dom}/{gib}\nhttps://{weird_dom}/{gib}/{order}",
        "{gib}@gmail.com",
    ),
    ("bot_form_fill", "CHAT", None, "{gib} {gib} https://{weird_dom}/{gib}", None),
    (
        "newsletter",
        "EMAIL",
        "This week only: 30% off everything",
        "View this email in your browser\n\nBIG SALE! 30% off everything this week only. Shop now and "
        "get free shipping on orders over $50.\n\nYou are receiving this email because you signed up at "
        "our store. Unsubscribe | Manage preferences",
        "news@{agency_slug}-shop.com",
    ),
    (
        "newsletter",
        "EMAIL",
        "Your weekly industry digest",
        "The Retail Weekly\n\n5 trends shaping e-commerce in 2027\nWhy brands are moving to "
        "headless\nWebinar: mastering Black Friday\n\nYou received this email because you subscribed "
        "to our newsletter. To unsubscribe, click here.",
        "digest@{agency_slug}-news.com",
    ),
    (
        "newsletter",
        "EMAIL",
        "Invitation: free webinar on growth marketing",
        "Join our free webinar on {day}: growth marketing secrets from top brands. Register now, "
        "seats are limited!\n\nThis message was sent to info@{shop_slug}.com. If you no longer wish "
        "to receive these emails, opt out here.",
        "events@{agency_slug}.com",
    ),
    (
        "auto_reply",
        "EMAIL",
        "Automatic reply: your message",
        "Thank you for your email. I am currently out of the office with limited access to email and "
        "will be back on {day}. For urgent matters please contact {first2}@{agency_slug}.com.\n\n"
        "{first} {last}",
        "{first}.{last}@{agency_slug}.com",
    ),
    (
        "auto_reply",
        "EMAIL",
        "Out of Office",
        "I'm currently away on annual leave returning on {day}. I will respond to your message when I "
        "return.",
        "{first}@{agency_slug}.de",
    ),
    (
        "auto_reply",
        "EMAIL",
        "Abwesenheitsnotiz",
        "Vielen Dank für Ihre Nachricht. Ich bin bis {day} nicht im Büro und habe keinen Zugriff auf "
        "meine E-Mails. In dringenden Fällen wenden Sie sich bitte an info@{agency_slug}.de.",
        "{first}.{last}@{agency_slug}.de",
    ),
    (
        "auto_reply",
        "EMAIL",
        "Re: your enquiry [automated response]",
        "This is an automated response. We have received your message and will get back to you "
        "within 5 working days. Please do not reply to this email.",
        "noreply@{agency_slug}.com",
    ),
]

HAM: list[tuple[str, str | None, str, str | None]] = [
    (
        "EMAIL",
        "Where is my order #{order}?",
        "Hi,\n\nI ordered {product} last {day} (order #{order}) and the tracking hasn't updated for "
        "four days. Could you check with the carrier? I need it before the weekend.\n\nThanks,\n"
        "{first} {last}",
        "{first}.{last}@gmail.com",
    ),
    (
        "EMAIL",
        "Return request for order {order}",
        "Hello,\n\nI'd like to return {product} from order {order}. It arrived with a scratch on the "
        "side. Do I need to print a label, or will you send one?\n\nBest regards,\n{first}",
        "{first}{last}@outlook.com",
    ),
    (
        "EMAIL",
        "Wholesale inquiry - {shop}",
        "Hi there,\n\nI run a small concept store in {city} and I'm interested in stocking "
        "{product}. Do you offer wholesale pricing, and what is the minimum order quantity? We'd be "
        "looking at 20-30 units per quarter to start.\n\nKind regards,\n{first} {last}\n{shop}",
        "{first}@{shop_slug}.com",
    ),
    (
        "EMAIL",
        "Invoice {order} - payment question",
        "Hello,\n\nWe received invoice {order} for €{amount} but our PO number is missing. Could you "
        "send a corrected copy with PO 4410-{order}? Our accounts team can't process it otherwise.\n\n"
        "Thank you,\n{first} {last}\nPurchasing, {shop}",
        "purchasing@{shop_slug}.com",
    ),
    (
        "EMAIL",
        "Re: delivery on {day}",
        "Hi {first2},\n\nThanks for confirming. {day} morning works for us, the loading dock is open "
        "from 8:00. Please ask the driver to call {first} on arrival.\n\nCheers,\n{first}",
        "{first}.{last}@{shop_slug}.com",
    ),
    (
        "EMAIL",
        "Broken {product}",
        "Hello, my {product} stopped working after two weeks. I've attached a photo of the damage. "
        "It's still under warranty, I think? What are my options? I'd prefer a replacement.\n\n"
        "{first}",
        "{first}{order}@hotmail.com",
    ),
    (
        "EMAIL",
        "Can I change my delivery address?",
        "Hi! I just placed order {order} and realised I used my old address. Can you change it to "
        "Keizersgracht 12, {city}? Sorry for the trouble!\n{first}",
        "{first}.{last}@icloud.com",
    ),
    (
        "EMAIL",
        "Partnership with a local café",
        "Dear team,\n\nI'm opening a café in {city} in spring and I love your products. Would you be "
        "open to supplying us? I'd also be happy to display your brand at the counter. Can we talk "
        "about prices for a regular order?\n\nWarm regards,\n{first} {last}",
        "{first}.{last}@gmail.com",
    ),
    (
        "EMAIL",
        "Application: part-time warehouse assistant",
        "Dear hiring team,\n\nI'm applying for the part-time warehouse assistant position posted on "
        "your website. I have two years of experience in order picking and I'm available from "
        "{day}. My CV is attached.\n\nKind regards,\n{first} {last}",
        "{first}.{last}@gmail.com",
    ),
    (
        "EMAIL",
        "Press request: gift guide feature",
        "Hi,\n\nI'm an editor at a lifestyle magazine in {city} preparing our holiday gift guide. "
        "Could you send high-resolution photos and the retail price of {product}? Our deadline is "
        "{day}.\n\nThanks,\n{first} {last}",
        "{first}.{last}@{shop_slug}-magazine.com",
    ),
    (
        "EMAIL",
        "Your supplier invoice and new price list",
        "Hello,\n\nAs discussed on the phone, please find our invoice {order} attached, payment terms "
        "30 days as usual. Our price list for next year is also attached; prices go up 3% from "
        "January because of freight costs.\n\nBest,\n{first} {last}\nAccount manager, {shop}",
        "{first}@{shop_slug}.com",
    ),
    (
        "EMAIL",
        "URGENT - wrong item received!!",
        "I ordered {product} and received something completely different!!! This was a birthday "
        "present and the party is on {day}. Please fix this immediately, I need the right item "
        "urgently. Order {order}.\n{first}",
        "{first}{last}@yahoo.com",
    ),
    (
        "EMAIL",
        "Bulk order for our office",
        "Good afternoon,\n\nWe'd like to order 15 units of {product} as end-of-year gifts for our team. "
        "Could you send a quote including delivery to {city} and tell us if gift wrapping is "
        "possible?\n\nMany thanks,\n{first} {last}\nOffice manager",
        "office@{shop_slug}.nl",
    ),
    (
        "EMAIL",
        "Vraag over mijn bestelling {order}",
        "Hallo,\n\nIk heb vorige week {product} besteld maar nog niets ontvangen. Kunnen jullie "
        "kijken waar het pakket is?\n\nGroeten,\n{first}",
        "{first}.{last}@ziggo.nl",
    ),
    (
        "EMAIL",
        "Frage zur Rücksendung",
        "Guten Tag,\n\nich möchte {product} zurückschicken, es passt leider nicht. Wie funktioniert "
        "die Rücksendung und wann bekomme ich mein Geld zurück?\n\nViele Grüße\n{first} {last}",
        "{first}.{last}@web.de",
    ),
    (
        "EMAIL",
        "Domanda sulla garanzia",
        "Buongiorno,\n\nil mio ordine {order} è arrivato ma {product} non funziona. Posso avere una "
        "sostituzione?\n\nGrazie,\n{first}",
        "{first}.{last}@libero.it",
    ),
    (
        "EMAIL",
        "Your payout has been sent",
        "Hi {shop},\n\nYour payout of €{amount} has been sent to your bank account ending in 4410 and "
        "should arrive in 1-2 business days.\n\nView the payout details in your dashboard.\n\nThe "
        "payments team",
        "notifications@payments-provider.com",
    ),
    (
        "EMAIL",
        "Re: our meeting next week",
        "Hi {first},\n\nGreat to meet you at the trade fair in {city}. As promised, here are the specs "
        "for the display stands we discussed. Would {day} at 10:00 work for a call to go through the "
        "numbers?\n\nBest,\n{first2}",
        "{first2}.{last}@{shop_slug}.com",
    ),
    (
        "EMAIL",
        "Complaint about customer service",
        "I have emailed three times about my refund for order {order} and nobody answers. I will "
        "file a complaint with my bank if I don't get my money back this week. This is unacceptable.",
        "{first}.{last}@gmail.com",
    ),
    (
        "EMAIL",
        "Feedback on {product}",
        "Just wanted to say the {product} I bought last month is fantastic. My partner loves it. Any "
        "chance you will restock the green version?\n{first}",
        "{first}@{shop_slug}.com",
    ),
    ("CHAT", None, "hi, is {product} in stock? want to order today", None),
    (
        "CHAT",
        None,
        "Hello, my order {order} says delivered but nothing arrived. what can I do?",
        None,
    ),
    ("CHAT", None, "do you ship to {city}? and how long does it take", None),
    ("CHAT", None, "I need to change the size on my order {order} please", None),
    ("CHAT", None, "hey! can I still cancel order {order}? ordered by mistake", None),
    ("CHAT", None, "the discount code WELCOME10 doesnt work at checkout", None),
    ("CHAT", None, "Is there a warranty on {product}? mine broke", None),
    ("CHAT", None, "hallo, kan ik ook betalen met iDEAL?", None),
    ("CHAT", None, "Hi, I got an email saying my payment failed but money left my account?", None),
    # Very short chat questions: the old corpus taught the model that short means spam.
    ("CHAT", None, "are you open on {day}?", None),
    ("CHAT", None, "when does the shop close today", None),
    ("CHAT", None, "how much is shipping to {city}?", None),
    ("CHAT", None, "is {product} dishwasher safe?", None),
    ("CHAT", None, "hi, what sizes does {product} come in", None),
    ("CHAT", None, "can I still order for delivery this {day}?", None),
    ("CHAT", None, "Thanks a lot, that solved it!", None),
    ("CHAT", None, "ok great, I'll wait for the email then", None),
    ("CHAT", None, "do you have a physical store in {city}", None),
    ("CHAT", None, "where can I find my invoice?", None),
    ("CHAT", None, "What time do you open tomorrow?", None),
    ("CHAT", None, "does {product} have a warranty", None),
    (
        "FORM",
        "Contact form: question about {product}",
        "Name: {first} {last}\nEmail: {first}.{last}@gmail.com\nMessage: Hi, does {product} come "
        "with a manual in German? I want to buy it as a gift for my mother.",
        None,
    ),
    (
        "FORM",
        "Contact form: wholesale",
        "Name: {first} {last}\nCompany: {shop}\nMessage: We'd like to become a reseller in {city}. "
        "Please send your wholesale terms and catalogue.",
        None,
    ),
    (
        "FORM",
        "Contact form: return",
        "Name: {first} {last}\nOrder number: {order}\nMessage: The package arrived damaged, the box "
        "was crushed. Please advise how to return it.",
        None,
    ),
    (
        "FORM",
        "Contact form: invoice",
        "Name: {first} {last}\nCompany: {shop}\nMessage: Can you send the invoice for order {order} "
        "with our VAT number NL001234567B01? Thanks!",
        None,
    ),
    (
        "FORM",
        "Contact form: event",
        "Name: {first} {last}\nMessage: We are organising a charity market in {city} on {day} and "
        "wondered whether you would donate a small prize. Happy to mention you on our flyer.",
        None,
    ),
    (
        "FORM",
        None,
        "Hi, I can't log in to my account to see my orders. Password reset email never "
        "arrives. Email is {first}.{last}@gmail.com",
        None,
    ),
]


# Second pass: more modern spam and hard ham (other languages, chat/form shapes, salesy or
# alarming ham), written so the shipped model sees today's inbox in more phrasings.
SPAM += [
    (
        "phishing",
        "EMAIL",
        "Ihre Sendung {carrier}: Zustellung fehlgeschlagen",
        "Sehr geehrter Kunde,\n\nIhr Paket konnte heute nicht zugestellt werden, da eine Gebühr von "
        "1,99 EUR offen ist. Bitte bestätigen Sie Ihre Adresse und zahlen Sie innerhalb von 48 Stunden: "
        "https://{phish_dom}/de/sendung\n\nSonst wird die Sendung an den Absender zurückgeschickt.",
        "noreply@{phish_dom}",
    ),
    (
        "phishing",
        "CHAT",
        "",
        "[{carrier}] Paczka oczekuje na dopłatę 1,50 zł. Opłać teraz, aby uniknąć zwrotu: "
        "https://{phish_dom}/pl",
        None,
    ),
    (
        "phishing",
        "EMAIL",
        "Il tuo pacco è in giacenza",
        "Gentile cliente, il suo pacco {carrier} è in attesa. Per la riconsegna è necessario "
        "aggiornare i dati e pagare 2,99 EUR entro oggi: https://{phish_dom}/it\nGrazie.",
        "servizio@{phish_dom}",
    ),
    (
        "phishing",
        "EMAIL",
        '{first} shared "Remittance_{last}.pdf" with you',
        "{first} {last} has shared a document with you via {brand}.\n\nRemittance advice - "
        "payment confirmation\n\nOpen document: https://{phish_dom}/view?id=8812\n\nThis link "
        "expires in 24 hours. Sign in with your email account to view.",
        "no-reply@{phish_dom}",
    ),
    (
        "phishing",
        "EMAIL",
        "Action required: mailbox storage full",
        "Your mailbox has reached 99% of its limit. Incoming messages are on hold. Verify your "
        "account now to release 14 pending messages: https://{phish_dom}/release\n\n{brand} "
        "Admin Center",
        "admin@{phish_dom}",
    ),
    (
        "phishing",
        "EMAIL",
        "Copyright infringement notice - images on your website",
        "Hello,\n\nYour website uses images I own without a license. This is a copyright violation. "
        "See the list of my images and the proof of ownership here: https://{phish_dom}/evidence\n"
        "If you do not remove them within 48 hours I will take legal action.\n\n{first} {last}, "
        "photographer",
        "{first}.{last}.photo@gmail.com",
    ),
    (
        "other_spam",
        "EMAIL",
        "Updated bank details for invoice payment",
        "Dear accounts team,\n\nPlease be informed that our bank account has changed due to an "
        "audit. All outstanding invoices must be paid to the new account below from today:\n\n"
        "IBAN: GB29 NWBK 6016 1331 9268 19\nBeneficiary: {agency} Ltd\n\nKindly confirm once the "
        "payment of EUR 4,860.00 is made. Treat as urgent and confidential.\n\n{first} {last}",
        "{first}.{last}.accounts@outlook.com",
    ),
    (
        "other_spam",
        "EMAIL",
        "Factuur {last}-2291 achterstallig",
        "Beste klant,\n\nOnze factuur van EUR 1.245,00 staat nog open. Betaal vandaag via de "
        "onderstaande link om incassokosten te vermijden: https://{phish_dom}/factuur\n\nMet "
        "vriendelijke groet,\nAfdeling incasso",
        "incasso@{phish_dom}",
    ),
    (
        "other_spam",
        "CHAT",
        "",
        "hi dear, I made 4,300 dollars this week with {crypto} trading, my mentor can teach you "
        "too, message me on whatsapp +44 7700 900{first}",
        None,
    ),
    (
        "cold_outreach",
        "EMAIL",
        "Collaborazione per {shop}",
        "Ciao,\n\nsiamo un'agenzia di marketing digitale e aiutiamo i negozi online a raddoppiare "
        "le vendite con campagne Google Ads e SEO. Possiamo fissare una chiamata di 15 minuti "
        "questa settimana?\n\n{first} - {agency}",
        "{first}@{agency_slug}.com",
    ),
    (
        "cold_outreach",
        "FORM",
        "New form submission",
        "Name: {first} {last}\nEmail: {first}@{agency_slug}.com\nMessage: Hi, we build custom "
        "mobile apps and websites at a low price. Our developers from India cost $15/hour. Can "
        "we send you our portfolio and pricing?",
        None,
    ),
    (
        "cold_outreach",
        "EMAIL",
        "Wholesale supply partner for {shop}",
        "Dear purchasing manager,\n\nWe are a factory with 15 years of experience, OEM/ODM welcome, "
        "low MOQ and competitive price. Please check our catalog and let us know which items you "
        "need, we will send free samples.\n\nBest regards,\n{first} {last}\nSales Manager",
        "{first}.sales@163.com",
    ),
    (
        "bot_form_fill",
        "FORM",
        "New form submission",
        "Name: {gib_name}\nEmail: {gib}@{weird_dom}\nMessage: {gib} {gib} cheap best casino "
        "bonus http://{weird_dom}/?r={gib}",
        None,
    ),
    (
        "bot_form_fill",
        "CHAT",
        "",
        "Hello. And Bye. {gib_name} http://{weird_dom}",
        None,
    ),
]

HAM += [
    (
        "EMAIL",
        "Invoice 2026-{last} from {agency}",
        "Hi {first},\n\nAttached is our invoice for the packaging delivered last week, EUR 1,180.00 "
        "due in 30 days to the usual account. Let me know if the PO number needs changing.\n\n"
        "Thanks,\n{first2} (accounts, {agency})",
        "accounts@{agency_slug}.com",
    ),
    (
        "EMAIL",
        "Samenwerking: koffiebar in {city}",
        "Hallo,\n\nWij hebben een koffiebar in {city} en zijn erg tevreden over jullie molens. Zouden "
        "jullie interesse hebben in een samenwerking, bijvoorbeeld een demo-dag in onze zaak? We "
        "kopen graag ook 3 machines.\n\nGroet,\n{first} {last}",
        "{first}@{shop_slug}.nl",
    ),
    (
        "EMAIL",
        "Reset your password",
        "Hi {first},\n\nSomeone asked to reset the password of your account at our shop. If it was "
        "you, use this link within 1 hour: https://shop.mokamill.example/account/reset?t=5521\n\n"
        "If it was not you, ignore this email; your password stays the same.",
        "no-reply@mokamill.example",
    ),
    (
        "CHAT",
        "",
        "hi, my order hasn't arrived yet and the {carrier} tracking says address problem?? can "
        "you check please, order 10{last}",
        None,
    ),
    (
        "FORM",
        "New form submission",
        "Name: {first} {last}\nEmail: {first}.{last}@gmail.com\nMessage: Hallo, ist die Mühle auch "
        "in Schwarz lieferbar? Und wie lange dauert der Versand nach Österreich?",
        None,
    ),
    (
        "EMAIL",
        "Urgent: wrong IBAN on our last invoice",
        "Hi {first},\n\nSorry, our invoice 4471 had a typo in the reference, the bank account is "
        "unchanged. Please use reference 4471-B when you pay. Call me on the usual number if "
        "anything is unclear.\n\n{first2}, {agency}",
        "{first2}@{agency_slug}.com",
    ),
    (
        "EMAIL",
        "Partnership proposal from a long-time customer",
        "Hello team,\n\nWe have bought four machines from you for our cafés in {city}. We are "
        "opening a training school for baristas and would like to offer your grinders to our "
        "students at a discount, with a link to your shop. Could we talk about terms?\n\n"
        "Best,\n{first} {last}",
        "{first}@{shop_slug}.com",
    ),
    (
        "CHAT",
        "",
        "Ciao! Avete ancora il macinino in offerta? Vorrei ordinarne due per il mio bar a {city}.",
        None,
    ),
]


# Legitimate contact-form fills: same "Name / Email / Message" shape as bot fills, so the shape
# alone must not look like spam.
HAM += [
    (
        "FORM",
        "New form submission",
        "Name: {first} {last}\nEmail: {first}{last}@gmx.net\nTopic: Website\nMessage: Small "
        "problem on your website: the checkout button does nothing on my phone. Can I order by "
        "email instead?",
        None,
    ),
    (
        "FORM",
        "New form submission",
        "Name: {first} {last}\nCompany: {agency}\nEmail: finance@{agency_slug}.com\nMessage: Do you "
        "offer payment on invoice for business customers? We would like to order 6 grinders.",
        None,
    ),
    (
        "FORM",
        "New form submission",
        "Name: {first} {last}\nEmail: {first}.{last}@outlook.com\nPhone: +31 6 1234 5678\nMessage: "
        "Is the warranty valid in {city}? My machine makes a loud noise since yesterday.",
        None,
    ),
    (
        "EMAIL",
        "Request for quotation - coffee equipment for {city}",
        "Dear supplier,\n\n{agency} invites qualified suppliers to quote for espresso machines and "
        "grinders for four new sites in {city}. Please send prices, delivery times and service "
        "terms by the end of the month.\n\nKind regards,\n{first} {last}, Procurement",
        "{first}.{last}@{agency_slug}.com",
    ),
]


def _fill(template: str, values: dict[str, str]) -> str:
    return template.format(**values)


def _values(rng: random.Random) -> dict[str, str]:
    values = {name: rng.choice(options) for name, options in SLOTS.items()}
    values["first2"] = rng.choice(SLOTS["first"])
    values["agency_slug"] = values["agency"].lower().replace(" ", "")
    values["shop_slug"] = values["shop"].lower().replace(" ", "").replace(".", "").replace("&", "")
    for key in ("first", "last", "first2"):
        values[key + "_"] = values[key]
    return values


def _sender(template: str | None, values: dict[str, str]) -> str | None:
    if template is None:
        return None
    return _fill(template, values).lower().replace(" ", "").replace("ü", "ue").replace("ó", "o")


def generate() -> list[dict[str, object]]:
    rng = random.Random(SEED)
    rows: list[dict[str, object]] = []
    for label, specs in (("spam", SPAM), ("ham", HAM)):
        for t_index, spec in enumerate(specs):
            if label == "spam":
                category, channel, subject, text, sender = spec  # type: ignore[misc]
            else:
                channel, subject, text, sender = spec  # type: ignore[misc]
                category = None
            for variant in range(PER_TEMPLATE):
                values = _values(rng)
                body = _fill(text, values)
                if variant % 3 == 2:  # some lower-cased / shortened variants, like chat traffic
                    body = body.lower() if channel != "EMAIL" else body
                rows.append(
                    {
                        "id": f"gen/{label}/{t_index:02d}/{variant}",
                        "source": "generated",
                        "label": label,
                        "category": category,
                        "channel": channel,
                        "subject": _fill(subject, values) if subject else None,
                        "text": body,
                        "html": None,
                        "from_email": _sender(sender, values),
                        "from_name": f"{values['first']} {values['last']}" if sender else None,
                    }
                )
    return rows


def main() -> None:
    rows = generate()
    OUT.parent.mkdir(parents=True, exist_ok=True)
    with OUT.open("w", encoding="utf-8") as handle:
        for row in rows:
            handle.write(json.dumps(row, ensure_ascii=False, sort_keys=True) + "\n")
    print(f"wrote {len(rows)} rows to {OUT}")


if __name__ == "__main__":
    main()
