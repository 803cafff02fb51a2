"""Generate hubguard's own modern inbox examples: src/hubguard/spam/data/generated.jsonl.

The SpamAssassin corpus (1997-2003) has almost no SEO pitches, agency outreach, invoice scams,
Microsoft 365 phishing or bot form fills, and the inbox-examples set is small. These hand-written
templates, filled from hand-written slot lists with a fixed seed, add a couple of thousand modern
messages of both classes (and the newsletter / auto-reply categories), in e-mail, chat and form
shape, for many kinds of small business and in several languages, so the shipped model learns
today's shared inbox rather than one shop's. Re-run to rebuild the file byte for byte:

    .venv/bin/python tools/spam_generate_examples.py

Labels follow one convention throughout: out-of-office replies and automatic acknowledgements
are spam with category ``auto_reply``, bulk marketing mail is spam with category ``newsletter``
(an inbox policy routes both separately), and every ham row has category ``None``.
"""

from __future__ import annotations

import json
import random
import re
import unicodedata
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
    # Slots of the third pass (other businesses, platforms, notifications).
    "weird_dom2": [
        "secure-docview.site",
        "file-transfer-cloud.online",
        "drive-preview-share.live",
        "view-attachment.click",
        "docs-cloud-portal.top",
    ],
    "ai_tool": ["ChatGPT", "Perplexity", "Gemini", "Google's AI Overviews", "Copilot", "Claude"],
    "followers": ["12.8k", "24k", "41.5k", "67k", "118k", "230k"],
    "platform": ["Instagram", "TikTok", "Instagram", "YouTube Shorts"],
    "post": [
        "your reel about the autumn collection",
        "the carousel you posted on Sunday",
        "your behind-the-scenes video from the workshop",
        "your post about the new opening hours",
        "the unboxing reel you shared last week",
        "the photo of your team at the trade fair",
        "your 'meet the owner' story",
        "that before/after video you posted yesterday",
    ],
    "postshort": [
        "the new opening hours",
        "your shop's 10th birthday",
        "the Christmas window",
        "your repair café",
        "the new terrace",
    ],
    "device": [
        "Chrome on Windows",
        "Safari on iPhone",
        "Firefox on macOS",
        "Edge on Windows 11",
        "the Android app",
        "Safari on iPad",
    ],
    "service": ["Slack", "Dropbox", "Zoom", "Shopify", "HubSpot", "Xero", "Mollie", "Canva"],
    "time": ["07:58", "09:14", "11:52", "14:07", "16:40", "19:33", "22:41"],
    "code": ["482913", "730164", "195827", "664208", "308571", "917442"],
    "meetcode": ["abc-mnop-xyz", "kpt-xwrm-qos", "mfr-tyqa-znb", "hvd-pwoe-lka"],
    "inv": ["INV-2026-0418", "2026-1187", "F26-00931", "RE-44817", "0007312", "INV-11894"],
    "small": ["24.95", "39.00", "59.90", "89.00", "129.50", "214.00"],
    "earn": ["250", "320", "400", "480", "650"],
    "supplier": [
        "Kartonage Visser B.V.",
        "Alpen Verpackung GmbH",
        "Northwind Freight Ltd",
        "Ricambi Bianchi S.r.l.",
        "Greenline Cleaning Services",
        "Hollis & Partners Accountants",
        "Lumen Electrical Supplies",
        "Drukkerij Van Dam",
    ],
    "job": [
        "sales assistant",
        "customer service",
        "warehouse",
        "bookkeeping assistant",
        "delivery driver",
        "marketing intern",
    ],
    "hotel": ["Aurora", "De Zwaan", "Bellevue", "Am Markt", "Lindenhof"],
    "productslug": [
        "trail-backpack-30l",
        "kettle-12-cup",
        "ceramic-planter-large",
        "oak-side-table",
        "dog-bed-xl",
        "rain-jacket-navy",
    ],
    "blogword": ["blog", "resources", "FAQ", "useful links"],
    "event": ["Retail Expo Europe 2027", "Horecava 2027", "EuroShop 2027", "Ambiente 2027"],
    "subject_hint": ["your message", "Invoice question", "Order update", "Meeting next week"],
    "amount_s": ["178.00", "236.50", "312.00", "389.40"],
    "travel_site": ["ns.nl", "bahn.de", "eurostar.com", "klm.com", "sncf-connect.com"],
    "event_site": ["retailexpo.eu", "horecava.nl", "euroshop.de", "ambiente.messefrankfurt.com"],
    "topic": ["marketing", "new business", "your website", "partnerships", "online sales"],
    "flow": ["checkout", "contact form", "booking flow", "quote request form"],
    "season": ["January", "spring", "our autumn issue"],
    "count": ["8,214", "23,906", "48,211", "61,370"],
    "renew": ["Total Security Business", "Geek Squad Protection", "PC Care Premium"],
    "num": ["7", "21", "84", "88", "1990", "2024", "311"],  # digits people add to an address
    # File ids in links, real (photo, drive, invoice) and fake: the id's shape is no signal.
    "fileid": ["aB3xK9p", "Xk2PqL7w", "7fGh2LmQ", "Qp8sW1eR", "m4TzK0vY", "Lr5nB2cX"],
}

# (name, web domain, trade): other small businesses and B2B companies, so the model learns a
# shared inbox in general and not one kind of shop's.
BUSINESSES: list[tuple[str, str, str]] = [
    ("Hoekstra Fietsen", "hoekstrafietsen.nl", "bike shop"),
    ("Lindner Steuerberatung", "lindner-stb.de", "tax advisory firm"),
    ("Brightdesk", "brightdesk.io", "software company"),
    ("Atelier Moreau", "ateliermoreau.fr", "furniture workshop"),
    ("Hotel De Zwaan", "hoteldezwaan.nl", "boutique hotel"),
    ("Ogród Zielony", "ogrodzielony.pl", "garden centre"),
    ("Fenwick Print & Sign", "fenwickprint.co.uk", "print shop"),
    ("Casa del Sol Rentals", "casadelsol.es", "holiday rental agency"),
    ("Baumann Elektrotechnik", "baumann-elektro.de", "electrical contractor"),
    ("Forno Dolce Vita", "fornodolcevita.it", "bakery"),
    ("Yoga Loft Antwerpen", "yogaloft.be", "yoga studio"),
    ("Evergreen Solar", "evergreensolar.co.uk", "solar installer"),
    ("Pawsome Pet Supplies", "pawsomepets.com", "pet shop"),
    ("Klarwerk Optik", "klarwerk-optik.at", "optician"),
    ("Studio Vermeer Architects", "studiovermeer.nl", "architecture practice"),
    ("Harbor Kitchenware", "harborkitchenware.com", "kitchenware shop"),
]

# Spam: (category, channel, subject, text, sender); ham: (channel, subject, text, sender).
# {slot} placeholders are filled from SLOTS; a None sender means the channel has none.
SpamSpec = tuple[str, str, str | None, str, str | None]
HamSpec = tuple[str, str | None, str, str | None]

SPAM: list[SpamSpec] = [
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

HAM: list[HamSpec] = [
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
        "Broken {item}",
        "Hello, my {item} stopped working after two weeks. I've attached a photo of the damage. "
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
        "Just wanted to say the {item} I bought last month is fantastic. My partner loves it. Any "
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


# Third pass: the kinds of spam and hard ham that were still thin, in more shapes, tones and
# languages, and for other businesses than one shop. "[[a|b]]" picks one option per row (see
# _choose), so each template varies its opening, length and sign-off, not only its names.
# No new newsletter or auto-reply templates: old-corpus ham is full of 2002 newsletters and
# out-of-office notes, and more of those as spam raised the threshold for everything else.

# AI-search visibility ("GEO") pitches: the newest kind of SEO outreach.
SPAM += [
    (
        "cold_outreach",
        "EMAIL",
        "[[Is {biz} showing up in {ai_tool}?|{biz} is invisible in {ai_tool}|AI search visibility "
        "for {biz}|Quick question about AI search]]",
        "[[Hi there|Hello {biz} team|Hey {first}|Hi {first}]],\n\n[[I asked {ai_tool} to "
        "recommend a good {trade} in {city} and {biz} wasn't mentioned once.|When people ask "
        "{ai_tool} for the best {trade} near {city}, your competitors come up. {biz} doesn't.|I "
        "ran 25 buyer questions through ChatGPT, Perplexity and Gemini. Your brand appeared in "
        "none of the answers.]] [[More and more customers skip Google and ask an AI assistant "
        "instead, and that traffic never shows up in your analytics.|AI answers are the new first "
        "page of Google.|]]\n\nWe do Generative Engine Optimization (GEO): we restructure your "
        "content, get you cited on the sources AI models trust and track your share of voice in "
        "AI answers. [[First results in 30 days.|Our clients get cited within 6-8 weeks.|Fixed "
        "fee from €690 a month, cancel anytime.]]\n\n[[Want me to send you the free AI visibility "
        "report?|Shall I send you the full prompt audit? It's free.|Open to a 15-minute call on "
        "{day}?]]\n\n[[Best|Cheers|Thanks]],\n{first2}\n{agency}",
        "{first2}@{agency_slug}.ai",
    ),
    (
        "cold_outreach",
        "FORM",
        "[[New form submission|Contact form: AI search]]",
        "Name: {first2} {last}\nCompany: {agency}\nEmail: {first2}@{agency_slug}.ai\nMessage: "
        "[[Hi!|Hello,|Dear team,]] {biz_site} [[is not visible|does not appear]] in ChatGPT, "
        'Perplexity or Google AI Overviews answers for "{trade} {city}". We optimise brands for '
        "AI search (GEO / AEO) so that LLMs recommend you instead of your competitors. [[Free "
        "audit: https://{agency_slug}.ai/audit?d={biz_site}|Reply for a free AI visibility "
        "score.|Can we book 15 minutes this week?]]",
        None,
    ),
    (
        "cold_outreach",
        "CHAT",
        None,
        "[[hi|hello|hey there]]! [[quick q:|just checked:|fyi]] {biz} doesn't come up when I ask "
        "{ai_tool} for a {trade} in {city}. we fix AI search visibility (GEO), [[want the "
        "report?|can I send you a free audit?|who should I talk to about this?]]",
        None,
    ),
    (
        "cold_outreach",
        "EMAIL",
        "[[Sichtbarkeit in ChatGPT & KI-Suche|Wird {biz} von KI-Assistenten empfohlen?]]",
        "[[Guten Tag|Hallo {first}|Sehr geehrte Damen und Herren]],\n\nwenn Ihre Kunden {ai_tool} "
        "nach einem Anbieter in {city} fragen, wird {biz} derzeit nicht genannt. Immer mehr "
        "Kaufentscheidungen beginnen in KI-Assistenten statt bei Google.\n\nMit unserer "
        "GEO-Optimierung (Generative Engine Optimization) sorgen wir dafür, dass KI-Modelle Ihr "
        "Unternehmen empfehlen. [[Erste Ergebnisse nach 30 Tagen.|Festpreis ab 590 € im "
        "Monat.|Ohne lange Vertragslaufzeit.]]\n\nDarf ich Ihnen eine kostenlose Analyse "
        "schicken?\n\nMit freundlichen Grüßen\n{first2} {last}\n{agency}",
        "{first2}.{last}@{agency_slug}.de",
    ),
    (
        "cold_outreach",
        "EMAIL",
        "[[Re: AI search|Re: {biz} in ChatGPT|Following up]]",
        "Hi {first},\n\n[[Just bumping this up.|Floating this back to the top of your inbox.|Not "
        "sure you saw my last note.]] [[Last week|On {day}]] I sent you a short audit showing "
        "that {ai_tool} recommends three of your competitors and not {biz}.\n\n[[Happy to walk "
        "you through it in 10 minutes.|Worth a quick look?|Should I close your file?]]\n\n{first2}",
        "{first2}@{agency_slug}.ai",
    ),
]

# Influencer / UGC "collab" pitches that open with flattery about a specific post.
SPAM += [
    (
        "cold_outreach",
        "EMAIL",
        "[[Loved your latest post!|Collab idea for {biz} ✨|UGC for {biz}?|Obsessed with your page "
        "😍]]",
        "Hi {biz} team! [[😍|✨|]]\n\n[[I just saw {post} and honestly it stopped my scroll.|{post} "
        "popped up on my feed this morning and I can't stop thinking about it!|Obsessed with "
        "{post}, the lighting, the vibe, everything.]] I'm a UGC creator ({followers} followers "
        "on {platform}) and I make authentic short videos for brands like yours.\n\n[[My packages "
        "start at €180 for 3 videos.|For 2 reels + 4 stories my rate is €450.|I'd love to create "
        "3 UGC videos for your ads, €95 each, full usage rights included.]] [[Portfolio: "
        "https://linktr.ee/{first}.creates|Rates and portfolio in my media kit: "
        "https://{first}-ugc.my.canva.site|Just reply here or DM me!]]\n\nxx {first}",
        "{first}.ugc@gmail.com",
    ),
    (
        "cold_outreach",
        "CHAT",
        None,
        "hey!! [[💕|✨|🙌]] just saw {post}, [[sooo good|love it|amazing content]]. I'm a creator "
        "with {followers} followers, would love to collab! I do reels in exchange for [[products "
        "+ a small fee|a free product and €150|a paid partnership]]. DM me on {platform} "
        "@{first}.{last}.creates",
        None,
    ),
    (
        "cold_outreach",
        "FORM",
        "New form submission",
        "Name: {first}\n{platform}: @{first}{last}.life ({followers})\nMessage: Hi! I loved "
        "{post} 😍 I'm planning my content for next month and would love to feature {biz}. In "
        "exchange I'd need [[the product for free + €250|a free stay for 2 nights|a €300 fee, "
        "paid upfront]]. Let me know asap, my calendar fills up fast!",
        None,
    ),
    (
        "cold_outreach",
        "EMAIL",
        "¡Colaboración con {biz}! ✨",
        "¡Hola equipo de {biz}!\n\n[[Me ha encantado vuestro último reel,|He visto vuestra última "
        "publicación y me ha encantado,|Vuestro perfil es precioso,]] ¡se nota el cariño que "
        "ponéis en todo! Soy creadora de contenido con {followers} seguidores en {platform} y me "
        "encantaría colaborar con vosotros.\n\nPor 3 historias y 1 reel mi tarifa es de "
        "[[250|350|190]] €, más el producto. Te dejo mi media kit: "
        "https://{first}-mediakit.my.canva.site\n\n¡Un abrazo!\n{first}",
        "{first}.{last}.creator@gmail.com",
    ),
    (
        "cold_outreach",
        "EMAIL",
        "Collaborazione? 💫",
        "Ciao! Ho visto [[il vostro ultimo post|il reel di ieri|le vostre storie]] e mi sono "
        "innamorata del vostro stile 😍 Sono una content creator con {followers} follower e mi "
        "piacerebbe creare contenuti per {biz}.\n\nLa mia proposta: [[1 reel + 3 storie a 290 €|2 "
        "video UGC a 180 €|un reel in cambio del prodotto e un piccolo compenso]]. Fammi sapere!\n"
        "\n{first}",
        "{first}.{last}.ugc@gmail.com",
    ),
    (
        "cold_outreach",
        "EMAIL",
        "[[Your {platform} ads|UGC creatives for {biz}|Re: your latest ad]]",
        "Hi {first},\n\nYour latest ad on {platform} ([[the one with the slow-motion shot|the one "
        "with the discount code|the carousel with the team photo]]) is solid, but UGC-style "
        "creatives usually beat polished ads 3:1 on cost per purchase.\n\nWe have 400+ vetted "
        "creators ready to film for {biz}. [[10 videos from $990.|First 3 videos free if you book "
        "this week.|No contracts, pay per video.]]\n\nWant to see samples from your niche?\n\n"
        "{first2}\n{agency}",
        "{first2}@{agency_slug}.co",
    ),
]

# Virtual-assistant and outsourcing offers, mostly typed into the chat widget.
SPAM += [
    (
        "cold_outreach",
        "CHAT",
        None,
        "[[Hello sir/madam|Hi there|Good day]], [[I am a virtual assistant from the Philippines|I "
        "am a professional VA with 5 years experience|we are an outsourcing company from "
        "Pakistan]]. I can help with [[email management, data entry and customer support|social "
        "media, bookkeeping and order processing|product uploads, live chat and admin work]] for "
        "only [[$5|$6|$8]]/hour. Can I send my CV?",
        None,
    ),
    (
        "cold_outreach",
        "CHAT",
        None,
        "Hi, do you need help with [[customer support|your inbox|chat and email support]]? Our "
        "team can answer your [[chats and emails|customers]] 24/7 from "
        "[[$999|€890|$1,200]]/month, native English and German agents. can I share details?",
        None,
    ),
    (
        "cold_outreach",
        "FORM",
        "New form submission",
        "Name: {first} {last}\nEmail: {first}.va.services@gmail.com\nMessage: Dear Hiring "
        "Manager, I am a reliable virtual assistant offering admin support, lead generation, cold "
        "calling and appointment setting. [[I work in your timezone|Available full time or part "
        "time|Rates start at $7/hour]]. [[Looking forward to work with you.|Can we schedule a "
        "quick interview?]] {first}",
        None,
    ),
    (
        "cold_outreach",
        "EMAIL",
        "[[Outsource your bookkeeping and save 60%|Offshore accounting support for {biz}|Need a "
        "back-office team?]]",
        "[[Dear Business Owner|Hello|Hi {first}]],\n\n[[Greetings of the day!|Hope you are doing "
        "well.|]]\n\nWe are {agency}, a back-office outsourcing company with 300+ trained staff. "
        "We offer:\n\n- bookkeeping and payroll\n- order processing and data entry\n- customer "
        "support by email, chat and phone\n- graphic design and video editing\n\nDedicated "
        "full-time staff from [[$850|$990|$1,150]] per month. Free trial week.\n\n[[Please let me "
        "know a suitable time to connect.|Shall I send our rate card?]]\n\nRegards,\n{first2}\n"
        "Business Development",
        "bd.{first2}@{agency_slug}.in",
    ),
]

# "Earn X per day" task scams, crypto recovery and trading chats.
SPAM += [
    (
        "other_spam",
        "CHAT",
        None,
        "[[Hello|Hi dear|Good day]]! We are hiring part-time online workers, earn "
        "[[€300|€450|$500]] per day from your phone, only 30-60 min. No experience needed, salary "
        "paid daily. Contact HR on WhatsApp +[[44 7700 900412|31 6 4812 9930|34 612 448 913]]",
        None,
    ),
    (
        "other_spam",
        "CHAT",
        None,
        "I turned [[$500|$1,000|€750]] into [[$14,200|$23,800|€9,600]] in two weeks with {crypto} "
        "trading thanks to [[Mrs. Rebecca|Mr. Anderson|Olivia]], a legit account manager. Contact "
        "[[her|him]] on telegram @[[crypto_rebecca_fx|anderson_trades|olivia.invest.official]] "
        "and thank me later",
        None,
    ),
    (
        "other_spam",
        "EMAIL",
        "[[Remote position - flexible hours|Part-time job offer (work from home)|Online job: "
        "€{earn} per day]]",
        "[[Hello|Dear candidate|Hi]],\n\nYour profile was recommended to us by an online "
        "recruitment agency. [[Our company|{agency}]] is looking for remote staff to complete "
        "simple app optimisation tasks (rating and reviewing products for merchants).\n\n- "
        "Working time: 60-90 minutes a day, from your phone\n- Salary: €{earn} per day, paid "
        "daily\n- No experience needed, training provided\n\nIf you are over [[21|23]] years old, "
        "contact our HR manager on WhatsApp for more information: +44 7[[700 900 118|418 221 "
        "904]]\n\nBest regards,\nHR Department",
        "hr.{first2}.recruit@{weird_dom}",
    ),
    (
        "other_spam",
        "CHAT",
        None,
        "Hallo, wij zoeken thuiswerkers! Verdien €[[250|400|180]] per dag met simpele opdrachten "
        "op je telefoon. [[Geen ervaring nodig.|Dagelijks uitbetaald.]] Interesse? Stuur een "
        "bericht via WhatsApp naar +31 6 [[1984 2277|3390 1184]]",
        None,
    ),
    (
        "other_spam",
        "CHAT",
        None,
        "Hi, I'm [[Jessica|Amy|Linda]] from the recruitment team of [[a big online shop|an "
        "e-commerce agency|TikTok Shop]]. We have a simple part-time job: like products and earn "
        "[[50-300 EUR|$80-$500]] a day. Can I tell you more? 😊",
        None,
    ),
    (
        "other_spam",
        "EMAIL",
        "[[Withdrawal pending: 1.2 BTC|Your {crypto} balance is ready to withdraw|Action needed: "
        "unclaimed crypto balance]]",
        "Dear user,\n\nYour [[trading|mining]] account holds a balance of [[1.24 BTC|0.87 "
        "BTC|18,400 USDT]] ([[€68,210|€47,920]]). To withdraw the funds to your bank account, a "
        "one-time verification fee of [[€280|€390]] must be paid.\n\nLog in to complete the "
        "withdrawal: https://{weird_dom}/wallet\n\nUnclaimed balances are forfeited after 72 "
        "hours.",
        "support@{weird_dom}",
    ),
    (
        "other_spam",
        "FORM",
        "New form submission",
        "Name: {gib_name}\nEmail: {gib}@{weird_dom}\nMessage: [[Earn passive income|Make money "
        "online]] up to $[[1,500|3,000]] a week with our AI trading platform, 100% automated, no "
        "experience needed. Register free: https://{weird_dom}/ai-trade?ref={gib}",
        None,
    ),
]

# Bulk-order, procurement and "hotel project" scams: fake buyers and advance fees.
SPAM += [
    (
        "other_spam",
        "EMAIL",
        "[[Request for quotation - hotel project|RFQ: supply for new hotel in {city}|Urgent "
        "supply request - 120-room hotel]]",
        "Dear Sales,\n\nWe are handling the procurement for a new [[120-room|86-room|4-star]] "
        "hotel project in [[Dubai|Doha|Accra|Riyadh]] and {biz} has been recommended to us for "
        "the supply of [[furniture and fittings|lighting and electrical items|kitchen "
        "equipment|linen and bathroom accessories]]. Please send your best price for a large "
        "order (estimated value €[[180,000|240,000|95,000]]).\n\nNote: as required by the project "
        "owner, every supplier must first be registered with our approved vendor agency. Kindly "
        "contact {agency} Consult to obtain the vendor registration certificate before you submit "
        "your quotation.\n\nRegards,\n{first} {last}\nProcurement Manager",
        "procurement.{last}@{weird_dom}",
    ),
    (
        "other_spam",
        "EMAIL",
        "[[Large order inquiry|Bulk purchase|Order request]]",
        "Hello [[Sales|Sir/Madam|there]],\n\nI would like to place a large order of {product} "
        "([[50|120|200]] units) for [[a project|my company|a school project in Africa]]. Kindly "
        "send me a pro-forma invoice with your best price.\n\nI will pay with my credit card. "
        "[[My shipping agent will pick up the goods;|I have a freight forwarder who handles "
        "delivery;]] you will only need to pay the agent and I will add the shipping cost to the "
        "total.\n\nRegards,\n{first} {last}",
        "{first}.{last}{num}@gmail.com",
    ),
    (
        "other_spam",
        "FORM",
        "New form submission",
        "Name: {first} {last}\nCompany: [[Global Trade Ventures|Lakeside Supply Ltd|Prime "
        "Procurement LLC]]\nMessage: [[Hello,|Good day,]] i want to order some items from your "
        "store in a bulk quantity. Kindly reply with the payment methods you accept so i can send "
        "my order list. Regards",
        None,
    ),
    (
        "other_spam",
        "CHAT",
        None,
        "hello i need [[300|500|1000]] pieces of your products for my client in "
        "[[Ghana|Nigeria|Dubai]], can you give me your best price and do you accept card payment? "
        "my agent will handle the shipping",
        None,
    ),
    (
        "other_spam",
        "EMAIL",
        "[[Supplier registration - tender {order}|Invitation to tender: supply contract {order}]]",
        "Dear Supplier,\n\nYour company has been shortlisted for a [[government|municipal]] "
        "supply contract (tender ref. {order}) worth approximately €{amount}0. To take part, "
        "suppliers must complete registration and pay the tender document fee of €[[350|420|295]] "
        "by [[Friday|{day}]].\n\nRegistration and payment details are in the attached tender "
        "pack.\n\nYours faithfully,\n{first} {last}\nTender Committee Secretary",
        "tenders.{last}@{weird_dom}",
    ),
    (
        "phishing",
        "EMAIL",
        "[[Purchase Order #PO-{order}|New order PO-{order} - please confirm|RFQ {order}]]",
        "[[Good day|Hello|Dear Sir/Madam]],\n\nPlease find our purchase order for the items "
        "below. [[Kindly confirm availability and delivery time.|Send your proforma invoice as "
        "soon as possible.|We need delivery within 2 weeks.]]\n\nView PO ({order}.pdf): "
        "https://{weird_dom2}/po/{order}\n\nThank you,\n{first} {last}\nPurchasing Department",
        "purchase@{weird_dom2}",
    ),
]

# Extortion: DDoS threats, "I know your password" sextortion, review bombing.
SPAM += [
    (
        "other_spam",
        "EMAIL",
        "[[Pay or your website goes offline|DDoS attack on {biz_site}|Final warning]]",
        "[[To the owner of {biz_site}|Hello|Read this carefully]],\n\nWe are [[Lazarus "
        "Squad|Armada Collective|Phantom Squad]]. Your website and servers will be under a DDoS "
        "attack starting {day} unless you pay [[0.2|0.5|1]] BTC to the address below. [[This is "
        "not a joke: check your logs, a small demonstration attack is running now.|We already "
        "took down several shops in your sector.]]\n\nIf you don't pay, the attack will continue "
        "until you do and the price goes up by 1 BTC every day.\n\nBTC: bc1q{gib}{gib}{order}",
        "{gib}@{weird_dom}",
    ),
    (
        "other_spam",
        "EMAIL",
        "[[{gib}{order}|Your account is hacked|Security alert: your device was compromised]]",
        "[[Hello|Hi there|Greetings]]!\n\nI know that {gib}{order} is your password. [[Several "
        "months ago|Some time ago]] I installed malware on your device while you were visiting "
        "[[an adult website|one of your favourite websites]]. I recorded you through your webcam "
        "and copied all your contacts.\n\nPay $[[1,350|1,890|2,100]] in Bitcoin within 48 hours "
        "and I will delete everything. Otherwise the video goes to all your contacts and "
        "colleagues.\n\nBTC address: bc1q{gib}{gib}\n\nDo not reply, this mailbox is not "
        "monitored.",
        "{gib}{num}@{weird_dom}",
    ),
    (
        "other_spam",
        "EMAIL",
        "Ich kenne dein Passwort",
        "Hallo!\n\nIch habe Zugriff auf dein Gerät und kenne dein Passwort: {gib}{order}. Über "
        "deine Webcam habe ich ein Video aufgenommen, das du sicher nicht veröffentlicht sehen "
        "willst.\n\nÜberweise [[1200|1500|950]] € in Bitcoin innerhalb von 48 Stunden an diese "
        "Adresse: bc1q{gib}{gib}\n\nSonst schicke ich das Video an alle deine Kontakte. Die Uhr "
        "läuft.",
        "{gib}@{weird_dom}",
    ),
    (
        "other_spam",
        "EMAIL",
        "[[About your Google reviews|50 one-star reviews|Your rating]]",
        "Hello,\n\n[[In the next 48 hours|Starting {day}]] {biz} will receive [[50|80|120]] "
        "one-star reviews on Google and Trustpilot from real-looking accounts. Your rating will "
        "drop below 2 stars and your sales with it.\n\nWe can stop this. Pay €[[400|600]] in USDT "
        "to the wallet below and nothing happens.\n\nUSDT (TRC20): T{gib}{order}{gib}",
        "{gib}@{weird_dom}",
    ),
]

# Fake job applications whose CV sits behind a file-share link (malware or credential theft).
SPAM += [
    (
        "phishing",
        "EMAIL",
        "[[Application for the {job} position|Job application - {first} {last}|Resume for your "
        "vacancy]]",
        "[[Hello|Dear hiring manager|Good morning]],\n\nI am writing to apply for the {job} "
        "position at {biz}. [[Please find my CV and cover letter at the link below, the file was "
        "too large to attach.|My CV is in the shared folder below (password: 2026).|I uploaded my "
        "resume to the cloud because of the attachment limit.]]\n\n"
        "https://{weird_dom2}/[[s|d|f]]/{fileid}\n\n[[Thank you for your time.|I look forward to "
        "hearing from you.]]\n{first} {last}",
        "{first}.{last}.cv@gmail.com",
    ),
    (
        "phishing",
        "EMAIL",
        "Bewerbung als [[Verkäuferin|Bürokaufmann|Lagerhelfer]] - {first} {last}",
        "Sehr geehrte Damen und Herren,\n\nanbei erhalten Sie meine Bewerbungsunterlagen. Da die "
        "Datei zu groß ist, können Sie meinen Lebenslauf und meine Zeugnisse hier herunterladen:\n"
        "\nhttps://{weird_dom2}/bewerbung/{fileid}\n\n[[Das Passwort lautet: 2026|Bitte öffnen "
        "Sie die Datei am PC.]]\n\nMit freundlichen Grüßen\n{first} {last}",
        "{first}.{last}.bewerbung@gmx.net",
    ),
    (
        "phishing",
        "FORM",
        "New form submission",
        "Name: {first} {last}\nEmail: {first}{last}{num}@gmail.com\nMessage: Hello, I saw your "
        "vacancy and I am interested. My resume: https://{weird_dom2}/cv/{fileid} (click to "
        "download, it's a zip because of the size)",
        None,
    ),
    (
        "phishing",
        "EMAIL",
        "Resume - {first} {last}",
        "Hi,\n\n[[Attached is a link to my resume for your review.|Here is my resume as "
        "discussed.|Sharing my portfolio and CV for the open role.]]\n\n"
        "Resume_{first}_{last}.pdf\nView document: https://{weird_dom2}/view?doc={fileid}\n\n"
        "Thanks,\n{first}",
        "{first}{last}{num}@outlook.com",
    ),
]

# Parcel and customs-fee phishing in several languages (chat lines mimic text messages).
SPAM += [
    (
        "phishing",
        "CHAT",
        None,
        "[[Colissimo|La Poste|Chronopost]] : votre colis est en attente de livraison. Veuillez "
        "régler les frais d'envoi ([[1,99|2,49]] €) : "
        "https://[[colis-suivi-fr.info|laposte-livraison.top|suivi-colis.click]]/{fileid}",
        None,
    ),
    (
        "phishing",
        "EMAIL",
        "[[Correos: su envío está retenido en aduana|Aviso de entrega: pago pendiente]]",
        "Estimado cliente:\n\nSu paquete [[está retenido en aduanas|no ha podido ser entregado]]. "
        "Para liberar el envío debe abonar [[2,99|1,79]] € de tasas antes de 48 horas: "
        "https://[[correos-envio-es.top|seguimiento-paquete.info]]/pago\n\nDe lo contrario, el "
        "paquete será devuelto al remitente.\n\nAtentamente,\nServicio de Atención al Cliente",
        "noreply@{phish_dom}",
    ),
    (
        "phishing",
        "EMAIL",
        "PostNL: [[uw pakket kan niet worden bezorgd|betaling vereist voor uw zending|nieuwe "
        "bezorgpoging]]",
        "Beste klant,\n\nUw pakket kon [[vandaag|vanochtend]] niet worden bezorgd omdat er nog "
        "[[€1,95|€2,50]] aan invoerkosten openstaat. Betaal binnen 24 uur om een nieuwe "
        "bezorgpoging in te plannen:\n\n"
        "https://[[postnl-bezorging.top|pakket-status-nl.info]]/{fileid}\n\nMet vriendelijke "
        "groet,\nPostNL Klantenservice",
        "klantenservice@{phish_dom}",
    ),
    (
        "phishing",
        "CHAT",
        None,
        "{carrier}: We were unable to deliver your package due to an incomplete address. [[Update "
        "your details|Confirm your address|Reschedule delivery]] within 12 hours: "
        "https://{carrier_l}-[[redelivery|parcel-help|track-support]].[[top|info|cc]]/{fileid}",
        None,
    ),
    (
        "phishing",
        "EMAIL",
        "[[Import duty payable for shipment {order}|Customs clearance required|Your parcel is "
        "held at customs]]",
        "[[Dear customer|Hello]],\n\nShipment {order} from [[China|the United Kingdom|the USA]] "
        "is being held by customs. Import duty and handling of €[[4.87|3.20|6.15]] must be paid "
        "before it can be released.\n\n[[Pay now|Release my parcel]]: "
        "https://{phish_dom}/customs/{order}\n\nIf payment is not received within 3 days the "
        "parcel will be destroyed.\n\n{carrier} Customs Department",
        "customs@{phish_dom}",
    ),
    (
        "phishing",
        "CHAT",
        None,
        "[[BRT|Poste Italiane]]: il tuo pacco è in giacenza. Conferma i dati e paga 1,99 € entro "
        "oggi: https://[[poste-giacenza.info|brt-consegna.top]]/{fileid}",
        None,
    ),
]

# Fake legal, claim, trademark and copyright notices.
SPAM += [
    (
        "phishing",
        "EMAIL",
        "[[Regarding {biz} domain and brand registration|Notice: {bizword} brand name "
        "registration|Urgent: domain name dispute]]",
        "Dear CEO,\n\n(If you are not the person in charge, please forward this to your CEO, "
        "because this is urgent. Thanks.)\n\nWe are a domain name registration service in "
        "[[Shanghai|Hong Kong]]. On [[Monday|{day}]] we received an application from [[Huayu "
        'Holdings Ltd|Qiming Investment Co., Ltd]] to register "{bizword}" as their internet '
        "keyword and the domains {bizword}.cn, {bizword}.com.cn and {bizword}.asia.\n\nWe need to "
        "confirm with you whether this company is your business partner or distributor. If not, "
        "please reply within 5 working days, otherwise we will approve their application.\n\nBest "
        "regards,\n{first2} Wang\nSenior Consultant",
        "{first2}.wang@{weird_dom}",
    ),
    (
        "phishing",
        "EMAIL",
        "[[Trademark renewal notice|Trademark monitoring: {biz}|Renewal of your trademark - "
        "payment due]]",
        "[[WORLDWIDE TRADEMARK REGISTRY|INTERNATIONAL BRAND REGISTER]]\n\nTrademark: {bizupper}\n"
        "Owner: {biz}\nRegistration period: 10 years\n\nYour trademark is due for renewal in our "
        "register. Renewal protects your mark against infringement by third parties in [[48|62]] "
        "countries.\n\nRenewal fee: €[[1,460.00|2,190.00|980.00]]\nPay by: [[15 January|30 "
        "December]]\nPay online: https://{phish_dom}/tm/{order}\n\nThis is a private register and "
        "is not affiliated with any government trademark office.",
        "renewals@{phish_dom}",
    ),
    (
        "phishing",
        "EMAIL",
        "[[Formal complaint under the GDPR|Data protection violation on {biz_site}|Final notice "
        "before complaint]]",
        "Dear data controller,\n\nWhen I visited {biz_site} on {day}, your website [[loaded "
        "Google Fonts from US servers|set tracking cookies]] without my consent and transferred "
        "my IP address to a third country. This is a violation of Art. 6 GDPR.\n\nI demand "
        "compensation of €[[170|250|400]] within 7 days. Otherwise I will file a complaint with "
        "the data protection authority and instruct my lawyer.\n\nDetails of the violation and "
        "payment instructions: https://{phish_dom}/case/{order}\n\n{first} {last}",
        "{first}.{last}.{num}@gmx.net",
    ),
    (
        "phishing",
        "EMAIL",
        "Abmahnung: Urheberrechtsverletzung auf {biz_site}",
        "Sehr geehrte Damen und Herren,\n\nauf Ihrer Website verwenden Sie Bilder, an denen mein "
        "Mandant die ausschließlichen Nutzungsrechte besitzt. Eine Lizenz wurde nicht erteilt.\n\n"
        "Die Liste der betroffenen Bilder und die Nachweise finden Sie hier: "
        "https://{phish_dom}/nachweis/{fileid}\n\nWir fordern Sie auf, innerhalb von 7 Tagen eine "
        "Unterlassungserklärung abzugeben und [[1.380|2.450]] € Schadensersatz zu zahlen.\n\nMit "
        "freundlichen Grüßen\nRechtsanwalt {first} {last}",
        "kanzlei.{last}@{weird_dom}",
    ),
    (
        "phishing",
        "EMAIL",
        "[[Notice of claim - case {order}|Legal action against {biz}|Court summons (ref. "
        "{order})]]",
        "[[Dear Sir/Madam|To {biz}]],\n\nWe act on behalf of [[a former customer|our client]] who "
        "has filed a claim against {biz} for [[damages|non-delivery and distress]]. A hearing has "
        "been scheduled and you are required to respond within 5 working days.\n\nThe case "
        "documents are available here: https://{weird_dom2}/case/{order}\n\nFailure to respond "
        "may result in a default judgment.\n\n{first} {last}\nClaims Department",
        "claims@{weird_dom2}",
    ),
    (
        "phishing",
        "FORM",
        "New form submission",
        "Name: {first} {last}\nEmail: {first}.{last}.photo@gmail.com\nMessage: Hello, your "
        "website uses my photos without permission. I found them on [[the homepage|your blog|your "
        "product pages]]. Here is the list of the images and my original files: "
        "https://[[sites.google.com/view/img-proof-{fileid}|{phish_dom}/images]]. Remove them "
        "within 24 hours or I will take legal action.",
        None,
    ),
    (
        "phishing",
        "EMAIL",
        "Violation de droits d'auteur sur {biz_site}",
        "Bonjour,\n\nVotre site web utilise mes photos sans autorisation, ce qui constitue une "
        "violation du droit d'auteur. Vous trouverez la liste des images et la preuve de "
        "propriété ici : https://{phish_dom}/preuve\n\nSi les images ne sont pas supprimées sous "
        "48 heures, je saisirai mon avocat.\n\n{first} {last}, photographe",
        "{first}.{last}.photo@gmail.com",
    ),
]

# Chargeback and "card charged twice, see screenshot" lures with a link.
SPAM += [
    (
        "phishing",
        "EMAIL",
        "[[I was charged twice!!|Double payment - refund please|Charged 2x for one order]]",
        "[[Hi,|Hello,|Hi there,]]\n\nI ordered from your [[store|website]] on {day} and my card "
        "was charged TWICE (€{small} each time). Here is the screenshot from my bank app: "
        "https://[[screenshot-view.live|imgshare-cloud.net|drive-docs-preview.site]]/{fileid}\n\n"
        "Please refund the duplicate payment [[asap|today]] or I will open a chargeback with my "
        "bank.\n\n{first}",
        "{first}{last}{num}@gmail.com",
    ),
    (
        "phishing",
        "CHAT",
        None,
        "hello my card got charged [[2 times|twice]] for one order, see screenshot "
        "https://[[prnt-sc.live|imgbox-view.top|snap-share.click]]/{fileid} please refund the "
        "extra one",
        None,
    ),
    (
        "phishing",
        "FORM",
        "New form submission",
        "Name: {first} {last}\nEmail: {first}.{last}{num}@gmail.com\nMessage: I have not received "
        "my order and you took my money. I have opened a dispute with my bank. Proof of payment: "
        "https://{weird_dom2}/receipt?id={order}",
        None,
    ),
    (
        "phishing",
        "EMAIL",
        "[[Chargeback notification - case {order}|Dispute opened: payment of €{small}|Action "
        "required: respond to dispute]]",
        "Dear merchant,\n\nA customer has disputed a card payment of €{small} made at {biz}. "
        "[[The funds have been withdrawn from your balance|Your payouts are on hold]] until the "
        "dispute is resolved.\n\nYou have 48 hours to upload evidence: "
        "https://[[merchant-dispute-center.com|chargeback-resolve.net]]/case/{order}\n\nIf you do "
        "not respond, the dispute will be decided in favour of the cardholder.\n\nMerchant "
        "Services",
        "disputes@{phish_dom}",
    ),
]

# Supplier impersonation: "our bank details have changed" from a look-alike or free-mail address.
SPAM += [
    (
        "phishing",
        "EMAIL",
        "[[Change of banking details - {supplier}|Important: new bank account|Updated remittance "
        "details]]",
        "Dear [[Customer|valued client|{first}]],\n\nWe would like to inform you that we have "
        "changed our banking partner. [[Effective immediately|From today]], please make all "
        "payments to the new account below. Our old account is under review and payments to it "
        "will be returned.\n\nBank: [[Wise Europe SA|Revolut Bank UAB|Baltic Trade Bank]]\nIBAN: "
        "[[BE71 9670 4412 8869|LT44 3250 0921 7730 4418|LT12 3130 0102 4467 2219]]\n\nPlease "
        "update your records and confirm by return email. [[Do not call our office, our phone "
        "lines are being migrated.|I am travelling this week, so email is best.]]\n\nRegards,\n"
        "{first} {last}\nFinance Manager, {supplier}",
        "{first}.{last}.finance@outlook.com",
    ),
    (
        "phishing",
        "EMAIL",
        "Neue Bankverbindung - {supplier}",
        "Sehr geehrte Damen und Herren,\n\nbitte beachten Sie, dass sich unsere Bankverbindung "
        "geändert hat. Offene Rechnungen, darunter Rechnung {inv} über {amount} €, überweisen Sie "
        "bitte ab sofort ausschließlich auf das folgende Konto:\n\nIBAN: LT[[62 3250 0417 9920 "
        "5561|17 3500 0100 0455 2187]]\nBIC: [[REVOLT21|EVIULT2V]]\n\nBitte bestätigen Sie kurz "
        "per E-Mail. Telefonisch sind wir diese Woche wegen einer Systemumstellung nicht "
        "erreichbar.\n\nMit freundlichen Grüßen\n{first} {last}\nBuchhaltung",
        "buchhaltung.{last}@gmail.com",
    ),
    (
        "phishing",
        "EMAIL",
        "Re: [[outstanding payment|invoice {inv}|payment status]]",
        "Hi {first},\n\n[[Did you update our bank details?|Any update on this?|Just checking "
        "in.]] Invoice {inv} is now [[overdue|10 days late]] and our auditors are asking. Please "
        "send the payment to the new account from my previous email and share the transfer "
        "confirmation today.\n\nThanks,\n{first2}\n{supplier}",
        "{first2}.{supplier_slug}@gmail.com",
    ),
]

# Platform phishing: Microsoft 365, Google Workspace, Shopify, Meta page policy, domains.
SPAM += [
    (
        "phishing",
        "EMAIL",
        "[[Your store has been restricted|Action required: verify your store|Payouts paused for "
        "{biz}]]",
        "Hi {biz},\n\nWe noticed activity on your store that doesn't comply with our Acceptable "
        "Use Policy. [[Your payouts have been paused|Your store will be suspended in 48 "
        "hours|Checkout has been disabled]] until you verify your business information.\n\nVerify "
        "now: "
        "https://[[shopify-merchant-review.com|admin-store-verify.net|merchant-policy-center.com]]/store/{order}\n"
        "\n[[The Shopify Team|Shopify Support|Merchant Trust & Safety]]",
        "no-reply@{phish_dom}",
    ),
    (
        "phishing",
        "EMAIL",
        "[[Google Workspace: payment declined|Your Workspace subscription is suspended|Billing "
        "problem with {biz_site}]]",
        "[[Hello Administrator|Dear admin|Hi]],\n\nWe were unable to process the payment for your "
        "Google Workspace subscription for {biz_site}. [[To avoid losing access to Gmail, Drive "
        "and Calendar,|Your users will lose access to their email]] please update your billing "
        "information within 24 hours.\n\nUpdate payment method: "
        "https://[[workspace-billing-admin.com|google-admin-console.net]]/billing\n\nGoogle "
        "Workspace Team",
        "billing@{phish_dom}",
    ),
    (
        "phishing",
        "EMAIL",
        "[[You have a new voice message (0:47)|Missed call from +31 20 {code}|Teams: 3 unread "
        "messages from {first2} {last}]]",
        "[[Microsoft Teams|Microsoft 365 Voicemail|Outlook Voice]]\n\n[[You received a voice "
        "message from +31 20 {code}|{first2} {last} sent you messages while you were away]].\n\n"
        "[[Listen to message|Open in Teams|View messages]]: https://{phish_dom}/msg?id={fileid}\n"
        "\nThis message will be deleted in 7 days.",
        "voicemail@{phish_dom}",
    ),
    (
        "phishing",
        "EMAIL",
        "[[Votre page Facebook sera supprimée|Avertissement : violation des règles Meta]]",
        "Bonjour,\n\nVotre page {biz} a été signalée pour violation des droits d'auteur et des "
        "standards de la communauté Meta. Elle sera définitivement désactivée dans 24 heures si "
        "vous ne faites pas appel.\n\nFaire appel : "
        "https://[[meta-appel-support.com|business-help-meta.net]]/cas/{order}\n\nÉquipe Meta "
        "Business",
        "support@{phish_dom}",
    ),
    (
        "phishing",
        "CHAT",
        None,
        "[[Meta Support:|Meta Business Team:|Facebook Page Security:]] Your page {biz} has been "
        "flagged for [[trademark infringement|a policy violation|fake engagement]]. Submit an "
        "appeal within 24h or it will be permanently removed: "
        "https://[[meta-appeal-center.com|business-help-meta.net|page-review-support.com]]/case/{order}",
        None,
    ),
    (
        "phishing",
        "FORM",
        "New form submission",
        "Name: [[Meta Business Support|Meta Pro Team|Instagram Policy Center]]\nEmail: "
        "meta.support.{num}@gmail.com\nMessage: We have received several reports that your "
        "[[page|account]] violates our intellectual property rules. Your page will be disabled "
        "within 24 hours. If you think this is a mistake, verify your account here: "
        "https://[[meta-appeal-center.com|fb-business-review.com]]/verify?p={fileid}",
        None,
    ),
    (
        "phishing",
        "EMAIL",
        "[[Your Business Profile will be suspended|Google Business Profile: verification needed]]",
        'Hello,\n\nYour Google Business Profile "{biz}" was reported for [[suspicious '
        "edits|misleading information]]. To keep your listing visible on Search and Maps, please "
        "verify ownership within 48 hours.\n\nVerify profile: "
        "https://[[gbp-verification-center.com|business-profile-support.net]]/{fileid}\n\nGoogle "
        "Business Profile Team",
        "noreply@{phish_dom}",
    ),
    (
        "phishing",
        "EMAIL",
        "[[Domain {biz_site} expires today|Final notice: {biz_site} will be deleted|Renew "
        "{biz_site} now]]",
        "[[Dear domain owner|Hello]],\n\nYour domain {biz_site} [[expires today|has expired]]. If "
        "you do not renew it, your website and email will stop working and the domain will be "
        "released to the public.\n\nRenew for 1 year (€[[19.90|24.99]]): "
        "https://[[domain-renewal-center.com|dns-renew-now.net]]/{biz_site}\n\nDomain Services",
        "renewals@{phish_dom}",
    ),
]

# Dating and romance bots in contact forms.
SPAM += [
    (
        "other_spam",
        "FORM",
        "New form submission",
        "Name: [[Anna|Kristina|Olga|Sweet Lily]]\nEmail: {gib}@{weird_dom}\nMessage: Hi handsome! "
        "[[I saw your profile|I noticed you]] and want to meet you 😘 I'm [[24|27|29]] and lonely "
        "tonight. Write to me here: https://{weird_dom}/?u={gib}",
        None,
    ),
    (
        "other_spam",
        "FORM",
        "New form submission",
        "Name: [[Mary Johnson|Jennifer Williams|Sarah Miller]]\nMessage: Hello dear, my name is "
        "[[Mary|Jennifer|Sarah]], I am a widow and a US army doctor on a peace mission in "
        "[[Syria|Yemen]]. I found your contact and I feel you are an honest person. I want a "
        "serious relationship. Please write to my private email so I can tell you more about me "
        "and send my pictures.",
        None,
    ),
    (
        "other_spam",
        "FORM",
        None,
        "Name: {gib_name}\nMessage: 👉 [[Meet local women tonight|Lonely girls in your city want "
        "to chat|Hot singles near you]] 💋 [[no registration|100% free]] "
        "https://{weird_dom}/date?{gib}",
        None,
    ),
    (
        "other_spam",
        "CHAT",
        None,
        "hey [[cutie|handsome|babe]] 😘 are you single? I'm new here, [[chat with me|see my "
        "private photos]] on my page https://{weird_dom}/{gib_name}",
        None,
    ),
]

# Pharmacy spam with obfuscated spelling.
SPAM += [
    (
        "other_spam",
        "EMAIL",
        "[[V1agra|V-i-a-g-r-a|Vi@gra]] & [[C1alis|C!alis]] from $0.[[79|99]]",
        "B.e.s.t m.e.d.s [[online|0nline]]!\n\n[[V1agra|V!agra|Vi@gra]], C!al!s, Tr@madol, X@nax, "
        "Ph3ntermine\nn0 prescr1ption needed\ndiscreet shipp1ng w0rldwide\n\nOrder: "
        "https://{weird_dom}/rx",
        "rx{num}@{weird_dom}",
    ),
    (
        "other_spam",
        "FORM",
        "New form submission",
        "Name: {gib_name}\nEmail: {gib}@{weird_dom}\nMessage: buy cheap m.e.d.s online, no rx "
        "needed: v1agra c1alis xanax tramad0l [[phentermine|modafinil]]. fast delivery [[to "
        "EU|worldwide]]: https://{weird_dom}/shop",
        None,
    ),
    (
        "other_spam",
        "CHAT",
        None,
        "[[c!alis|v1agra|ciaIis]] 20mg [[90|60]] pills only $[[49|39]] discreet delivery, no "
        "prescr!ption https://{weird_dom}",
        None,
    ),
    (
        "other_spam",
        "EMAIL",
        "[[Lose 12 kg in 3 weeks|The Ozempic alternative doctors hate|Weight loss without "
        "dieting]]",
        "[[Hi|Dear friend]],\n\nNo diet, no gym, no prescription. Our natural [[keto drops|GLP-1 "
        "capsules|fat burner]] melt up to 12 kg in 3 weeks. [[Limited stock!|Only today 70% "
        "off!]]\n\nClaim your bottle: https://{weird_dom}/slim\n\nUnsubscribe",
        "offers@{weird_dom}",
    ),
]

# SEO, backlink and guest-post pitches in several languages.
SPAM += [
    (
        "cold_outreach",
        "EMAIL",
        "[[Gastartikel auf {biz_site}|Anfrage: Gastbeitrag mit Backlink|Kooperation Linkaufbau]]",
        "[[Hallo|Guten Tag|Sehr geehrtes Team von {biz}]],\n\nich bin auf Ihre Website {biz_site} "
        "gestoßen und würde gerne einen Gastartikel mit einem Dofollow-Link veröffentlichen. "
        "[[Für einen Beitrag zahlen wir 80 €.|Welchen Preis nehmen Sie für einen Artikel?|Wir "
        "bieten auch Links auf Portalen mit hoher Domain-Autorität an.]]\n\nIch freue mich auf "
        "Ihre Antwort.\n\nViele Grüße\n{first}",
        "{first}.outreach@{seo_site}",
    ),
    (
        "cold_outreach",
        "EMAIL",
        "[[Article sponsorisé sur {biz_site}|Partenariat SEO|Proposition de netlinking]]",
        "Bonjour,\n\nJe travaille pour une agence de netlinking et je souhaiterais publier un "
        "article sponsorisé sur {biz_site}, avec un lien dofollow. [[Quel est votre tarif ?|Nous "
        "proposons 90 € par article.|Nous avons aussi des liens sur des sites à forte "
        "autorité.]]\n\nDans l'attente de votre retour,\n{first}",
        "{first}.netlinking@{seo_site}",
    ),
    (
        "cold_outreach",
        "EMAIL",
        "[[Colaboración: artículo patrocinado en {biz_site}|Propuesta de enlaces|Publicación de "
        "post invitado]]",
        "Hola,\n\nMe pongo en contacto para saber si aceptáis artículos patrocinados en "
        "{biz_site}. Buscamos publicar un post con un enlace dofollow para uno de nuestros "
        "clientes. [[¿Cuál sería el precio?|Pagamos 70 € por artículo.]]\n\nTambién ofrecemos "
        "enlaces en medios con alta autoridad para mejorar vuestro posicionamiento en Google.\n\n"
        "Un saludo,\n{first}",
        "{first}.seo@{seo_site}",
    ),
    (
        "cold_outreach",
        "EMAIL",
        "Artykuł sponsorowany na {biz_site}",
        "Dzień dobry,\n\nczy istnieje możliwość publikacji artykułu sponsorowanego z linkiem "
        "dofollow na stronie {biz_site}? [[Proszę o cennik.|Oferujemy 250 zł za publikację.]]\n\n"
        "Oferujemy również pozycjonowanie stron i linki z portali o wysokim autorytecie.\n\n"
        "Pozdrawiam,\n{first}",
        "{first}.linki@{seo_site}",
    ),
    (
        "cold_outreach",
        "EMAIL",
        "[[Broken link on {biz_site}|Found a broken link on your {blogword} page|Quick heads-up "
        "about your website]]",
        "Hi [[there|{first}]],\n\nI was reading your {blogword} page and noticed one of the links "
        "points to a page that no longer exists. [[We recently published a complete guide on the "
        "same topic|I have an updated resource]] that would be a great replacement: "
        "https://{seo_site}/guide\n\n[[Would you consider swapping the link?|Happy to return the "
        "favour with a link from one of our sites.|Let me know if you'd like me to send more "
        "suggestions.]]\n\nCheers,\n{first}",
        "{first}@{seo_site}",
    ),
    (
        "cold_outreach",
        "EMAIL",
        "[[High DR backlinks - price list|Guest posts on 800+ sites|Niche edits available]]",
        "Hello [[Sir/Madam|Webmaster]],\n\nWe provide high-quality guest posts and niche edits on "
        "real sites with traffic:\n\n- DR 50-60: $[[45|60]]\n- DR 70+: $[[120|150]]\n- News "
        "sites: ask for price\n\nCasino, CBD and crypto accepted. Bulk discount available.\n\n"
        'Reply "LIST" to receive our full site list.\n\nRegards,\n{first}',
        "{first}.links{num}@gmail.com",
    ),
    (
        "cold_outreach",
        "FORM",
        "New form submission",
        "Name: {first} {last}\nEmail: {first}.seo@gmail.com\nMessage: Hi {biz}, want more "
        "[[clients|customers]]? We can get {biz_site} to the top of Google in 90 days, "
        "guaranteed, or you don't pay. [[Reply with your phone number|Send me your WhatsApp "
        "number]] and I'll send a free SEO audit.",
        None,
    ),
    (
        "cold_outreach",
        "EMAIL",
        '[[{biz} is on page 3 for "{trade} {city}"|Local SEO for {biz}|Your Google Maps ranking]]',
        'Hi {first},\n\nI searched "{trade} {city}" on Google today and {biz} showed up on page '
        "[[3|4]], below [[five|seven]] competitors. Most customers never scroll past the map "
        "pack.\n\nWe specialise in local SEO and Google Business Profile optimisation. [[Clients "
        "move into the top 3 within 60 days.|Fixed price, €299 a month.]]\n\nWant me to record a "
        "free 5-minute video audit?\n\n{first2}\n{agency}",
        "{first2}@{agency_slug}.com",
    ),
]

# More unsolicited B2B outreach, aimed at any small business.
SPAM += [
    (
        "cold_outreach",
        "EMAIL",
        "[[{first}, worth a look?|idea for {biz}|{trade} growth]]",
        "Hi {first},\n\n[[We help {trade}s like {biz} book 15-30 extra appointments a month "
        "without ads.|We've helped 40+ {trade}s add €20k+ in monthly revenue.|Most {trade}s we "
        "talk to lose a third of their leads to slow follow-up.]] [[Is this something you'd want "
        "more of in the new year?|Open to hearing how?|Worth a 10-minute chat?]]\n\n{first2}",
        "{first2}@{agency_slug}.co",
    ),
    (
        "other_spam",
        "EMAIL",
        "[[{biz} is pre-approved for funding|Working capital offer for {biz}|Up to €150,000 for "
        "{biz}]]",
        "Hi {first},\n\nGood news: {biz} [[is pre-approved|qualifies]] for up to "
        "€[[50,000|150,000|85,000]] in working capital. No collateral, no credit check, funds in "
        "24 hours.\n\n[[Check your offer|See how much you qualify for]]: "
        "https://{weird_dom}/offer?b={bizword}\n\nThis offer expires on {day}.\n\n{first2}\n"
        "Funding Specialist",
        "{first2}@{weird_dom}",
    ),
    (
        "cold_outreach",
        "CHAT",
        None,
        "Hi, [[I found a few bugs on your website|your site loads very slow on mobile|your "
        "website has some errors]] ([[slow checkout, broken links|missing SSL on some "
        "pages|images not loading]]). I'm a web developer, can I send you a quote to fix them?",
        None,
    ),
    (
        "cold_outreach",
        "EMAIL",
        "[[Automate your support inbox with AI|Still answering {biz}'s emails by hand?|AI agent "
        "for {biz}]]",
        "Hi {first},\n\nYour team still answers [[chats|support emails|customer questions]] by "
        "hand? Our AI agent resolves [[70%|65%|80%]] of tickets automatically, in 30+ languages, "
        "and plugs into your helpdesk in 10 minutes.\n\n[[Start a free trial: "
        'https://{agency_slug}.ai/trial|Can I show you a 12-minute demo?|Reply "demo" and I\'ll '
        "send a recording.]]\n\n{first2}, {agency}",
        "{first2}@{agency_slug}.ai",
    ),
    (
        "cold_outreach",
        "FORM",
        "New form submission",
        "Name: {first} {last}\nCompany: {agency}\nEmail: {first}@{agency_slug}.com\nMessage: We "
        "are a leading [[logo design|explainer video|bookkeeping|recruitment|app development]] "
        "company offering affordable services to businesses like {biz}. [[Please visit our "
        "website for our portfolio.|We offer 30% discount this month.|Let me know if you are "
        "interested.]]",
        None,
    ),
    (
        "cold_outreach",
        "EMAIL",
        "Pozyskiwanie klientów B2B dla {biz}",
        "Dzień dobry,\n\npomagamy firmom takim jak {biz} zdobywać nowych klientów B2B. Umawiamy "
        "[[10-20|15-25]] spotkań miesięcznie z osobami decyzyjnymi, płacą Państwo tylko za odbyte "
        "spotkania.\n\nCzy możemy porozmawiać 15 minut w tym tygodniu?\n\nPozdrawiam,\n{first} "
        "{last}",
        "{first}.{last}@{agency_slug}.pl",
    ),
    (
        "cold_outreach",
        "EMAIL",
        "[[Would you be interested in the {event} attendees list?|{event} - visitor "
        "list|Exhibitors and attendees list]]",
        "Hi,\n\nWould you be interested in acquiring the [[attendees|visitors|exhibitors]] list "
        "of {event}?\n\nThe list includes company name, contact name, job title, email, phone "
        "number and website. Total contacts: [[8,420|12,900|21,350]].\n\nLet me know and I will "
        "send you the pricing.\n\nRegards,\n{first} {last}\nMarketing Coordinator\n\nIf you do "
        'not wish to receive further emails, reply with "Remove".',
        "{first}.{last}@{agency_slug}-data.com",
    ),
]

# Soft-sell and look-alike spam: personal tone, often no link, real-looking domains.
SPAM += [
    (
        "cold_outreach",
        "EMAIL",
        "[[Who handles {topic} at {biz}?|Right person?|{biz} - who should I talk to?]]",
        "Hi,\n\n[[I'm not sure you're the right person, but|Apologies if this isn't for you, "
        "but]] who looks after {topic} at {biz}?\n\nWe help {trade}s [[get 10-20 booked sales "
        "calls a month|cut their ad spend by a third|win back customers who haven't ordered in a "
        "year]], and we only charge for results.\n\n[[If it's not you, would you mind pointing me "
        "in the right direction?|Happy to send a two-minute overview to whoever it is.]]\n\n"
        "Thanks,\n{first2}",
        "{first2}@{agency_slug}.com",
    ),
    (
        "cold_outreach",
        "EMAIL",
        "[[your {flow}|I tested your {flow}|{biz_site}: {flow}]]",
        "Hi there,\n\n[[On {day} I went through your {flow} on {biz_site} to see what happens.|I "
        "signed up on {biz_site} earlier this week and tried your {flow}.]] [[It took 11 seconds "
        "before the payment page loaded.|I never got a confirmation email.|Nothing happened after "
        "I pressed send.]]\n\nFor a {trade} your size that's easily [[5-10% of revenue|a few "
        "dozen lost leads a month]]. We fix exactly this kind of thing for a fixed fee, no "
        "retainer.\n\n[[Open to a quick look?|Want me to send what I found?|Worth a 15-minute "
        "call?]]\n\n{first2}\n{agency}",
        "{first2}@{agency_slug}.co",
    ),
    (
        "cold_outreach",
        "CHAT",
        None,
        "Hi! quick question - is your website built in-house? [[the menu doesn't open on my "
        "phone|your contact form shows an error|the images take ages to load]]. I work on exactly "
        "this kind of thing, happy to share what I found if someone technical is around",
        None,
    ),
    (
        "cold_outreach",
        "EMAIL",
        "[[{biz} in our {season} buyer's guide?|Shortlisted: {biz}|Sponsored review opportunity]]",
        "Hi team,\n\nI run [[a YouTube channel|a podcast|a newsletter]] for people who care about "
        "[[their homes|small business|good gear]] ({followers} subscribers). In {season} we're "
        'publishing a "best of" guide and {biz} is on our shortlist.\n\nTo be included we offer '
        "sponsored integrations:\n- 60-second dedicated segment: €[[1,800|1,200]]\n- mention + "
        "link in the description: €[[950|600]]\n- pinned comment with your discount code: "
        "€[[300|250]]\n\nSpots are limited to four brands. Could you let me know by Friday?\n\n"
        "{first}",
        "partnerships@{first}{last}media.com",
    ),
    (
        "other_spam",
        "EMAIL",
        "[[Confidential: buyer interest in {biz}|Acquisition interest - {biz}|Have you considered "
        "selling {biz}?]]",
        "Dear {first},\n\nI represent a group of private buyers who are actively acquiring "
        "{trade}s in Europe, and {biz} came up in their search.\n\nWould you be open to a "
        "confidential conversation about a potential sale? Our clients typically pay 3-5x EBITDA, "
        "all cash, and close within 60 days. To prepare a preliminary valuation we only need a "
        "10-minute call and a signed NDA through our secure portal.\n\nBest regards,\n{first2} "
        "{last}\n{agency} Business Brokers",
        "{first2}.{last}@{agency_slug}-partners.com",
    ),
    (
        "other_spam",
        "EMAIL",
        "[[{biz} selected as winner: Best {trade} {city} 2026|Congratulations - {biz} wins our "
        "{city} Business Award|Award notification for {biz}]]",
        "Congratulations!\n\nWe are pleased to inform you that {biz} has been selected as winner "
        'of the "Best {trade} - {city} 2026" award, based on customer reviews and independent '
        "research.\n\nClaim your official certificate, crystal trophy and winner's logo for your "
        "website (one-time processing fee €[[349|295|420]]): "
        "https://{agency_slug}-awards.com/claim?b={bizword}\n\nThe Awards Committee",
        "awards@{agency_slug}-awards.com",
    ),
    (
        "other_spam",
        "EMAIL",
        "[[Feature request: {biz} in our magazine|Interview invitation - Top 10 {trade}s to "
        "watch|Editorial feature for {biz}]]",
        "Hi,\n\nI'm an editor at [[Business Leaders Review|Entrepreneur Spotlight Europe|Industry "
        "Insider Magazine]]. We'd like to feature {biz} in our upcoming \"Top 10 {trade}s to "
        'watch" issue, including an interview with the owner and a full-page profile.\n\nThere '
        "is a small publication fee of €[[490|790|650]] to cover editorial and design costs. "
        "Could you let me know by {day}?\n\nBest,\n{first} {last}\nSenior Editor",
        "{first}.{last}.editor@gmail.com",
    ),
    (
        "phishing",
        "EMAIL",
        "[[{supplier} - updated payment information|Updated bank details for open "
        "invoices|Remittance details - please update]]",
        "Dear {first},\n\nI hope you are well.\n\nFollowing our annual audit, {supplier} has "
        "moved its euro accounts to a new banking partner. With immediate effect, payments for "
        "open invoices, including {inv} (€{amount}), should be made to the account below:\n\n"
        "Bank: [[Baltic Merchant Bank UAB|Wise Europe SA]]\nIBAN: [[LT62 3250 0417 9920 5561|BE71 "
        "9670 4412 8869]]\n\nPlease do not use the old account any more, as it will be closed "
        "this week. Kindly confirm by reply once the payment is scheduled. Due to the audit I am "
        "mostly reachable by email.\n\nBest regards,\n{first2} {last}\nFinance, {supplier}",
        "{first2}.{last}@{supplier_slug}-finance.com",
    ),
    (
        "other_spam",
        "EMAIL",
        "[[Order for next month + new delivery address|New order and changed address|Re: our next "
        "order]]",
        "Hi {first},\n\nHope you're well! Please find our order for next month below. Note that "
        "our warehouse has moved, so please ship to our new address in [[Rotterdam|Lille|Bremen]] "
        "(details in the attached form).\n\n- [[40|60]] x {item}\n- [[20|30]] x {item} (large)\n\n"
        "Could you ship this week? Our accounts team will pay on invoice as usual, 60 days this "
        "time because of the move.\n\nThanks!\n{first2} {last}\nPurchasing, {biz}",
        "{first2}.{last}@{bizword}-group.com",
    ),
    (
        "other_spam",
        "CHAT",
        None,
        "hello, can I buy gift cards from your shop for [[1500|2000|2500]] euro for my staff? [[I "
        "will pay with apple gift cards|can I pay with steam cards|I pay after receiving]], it is "
        "urgent please reply",
        None,
    ),
    (
        "other_spam",
        "EMAIL",
        "[[Your customers' data|Data leak at {biz}|Important: {biz_site} was breached]]",
        "[[Your shop's server was not as safe as you think.|We got into your web shop through an "
        "outdated plugin.]] We now hold {count} customer records from {biz_site}: names, "
        "addresses, phone numbers and order history.\n\n[[If you transfer|Send]] [[0.4|0.25]] BTC "
        "within 72 hours, we delete everything and nobody will know. If not, the file goes on "
        "sale and we email every customer on the list.\n\nA sample of the data is attached as "
        "proof.\n\nBTC: bc1q{gib}{gib}",
        "{gib}@{weird_dom}",
    ),
    (
        "phishing",
        "CHAT",
        None,
        "[[Your WhatsApp Business account for {biz} needs re-verification.|WhatsApp Business: "
        "unusual activity on your account.]] [[Enter the 6-digit code we just sent to your phone "
        "here|Verify your number within 24 hours]]: "
        "https://[[wa-business-verify.com|whatsapp-support-center.net]]/{fileid}",
        None,
    ),
    (
        "phishing",
        "EMAIL",
        "[[Your order #{order} - payment received|Subscription renewed: {renew}|Invoice {order}: "
        "{renew}]]",
        "Dear Customer,\n\nThank you for renewing {renew}. Your account has been charged "
        "$[[399.99|489.00|299.95]] (auto-renewal, 3 years).\n\nOrder number: {order}\nPayment "
        "method: card ending **** [[2291|4410]]\n\nIf you did not authorise this renewal or wish "
        "to cancel, call our billing support within 24 hours for a full refund: +1 (555) "
        "0[[14-2207|13-9940]]\n\nBilling Team",
        "billing@{weird_dom2}",
    ),
    (
        "cold_outreach",
        "EMAIL",
        "[[quick question|{first}?|idea]]",
        "Hi {first},\n\nWould it make sense to talk about [[getting more B2B clients|filling your "
        "calendar in January|lowering your card fees]] for {biz}? If not, who would be the best "
        "person to ask?\n\nThanks,\n{first2}",
        "{first2}@{agency_slug}.io",
    ),
    (
        "cold_outreach",
        "FORM",
        "[[New form submission|Website contact form]]",
        "[[Hi! Just visited {biz_site}.|Hello from a fellow business owner.|Hi there, I was "
        "browsing {biz_site} today.]] Most visitors leave a site like yours without ever getting "
        "in touch, and you never find out who they were. [[Our widget shows you which companies "
        "visited and who to email.|Our chat assistant greets them, answers questions and books "
        "calls for you.|Our pop-up turns them into newsletter subscribers at 3x the usual rate.]] "
        "Free 14-day trial: https://{agency_slug}.com/start?site={biz_site}\n\n{first2}\nNot "
        'interested? Reply "no" and I won\'t write again.',
        None,
    ),
    (
        "other_spam",
        "EMAIL",
        "[[Hello from Singapore|Nice to meet you|Sorry to disturb you]]",
        "[[Hi dear,|Good evening,|Hello friend,]] I hope my message finds you well. My name is "
        "[[Grace|Vivian|Mei]], I got your contact by chance [[on a trade website|from a business "
        "list]]. I am a [[fashion designer|wine importer|finance consultant]] in "
        "[[Singapore|Kuala Lumpur|Dubai]] and I would like to know more about you and your "
        "country, maybe we can be friends. Do you use WhatsApp or Telegram? My number is +[[65 "
        "8123 4471|60 12 448 9021|971 50 228 1943]]",
        "{first}{num}@outlook.com",
    ),
    (
        "phishing",
        "EMAIL",
        "[[Nieuwe bankrekening {supplier}|Wijziging rekeningnummer per direct]]",
        "Geachte relatie,\n\nWegens een overstap naar een andere bank is ons rekeningnummer per "
        "direct gewijzigd. Wij verzoeken u openstaande facturen, waaronder {inv}, voortaan "
        "uitsluitend over te maken naar:\n\nIBAN: [[NL17 RBRB 0945 2281 66|NL02 BUNQ 2094 5538 "
        "71]]\nt.n.v. {supplier}\n\nBetalingen naar het oude nummer worden vanaf volgende week "
        "teruggestort. Wilt u de wijziging per mail bevestigen?\n\nMet vriendelijke groet,\n"
        "Financiële administratie",
        "debiteuren@{supplier_slug}-nl.com",
    ),
    (
        "cold_outreach",
        "EMAIL",
        "[[New businesses opening in your region|Lead report: new businesses in {city}|Q1 "
        "openings list for suppliers]]",
        "Hello,\n\nOur quarterly report lists [[412|612|1,180]] [[new businesses|companies that "
        "just opened or moved]] in your region, with opening date, owner contact details and what "
        "they still need to buy.\n\n[[Introductory price for suppliers: €349 (normally "
        "€590).|Order this week and get the previous quarter free.]]\n\nOrder the report: "
        "https://{agency_slug}-research.com/report\n\nKind regards,\n{agency} Research",
        "data@{agency_slug}-research.com",
    ),
]


# Genuine supplier invoices and reminders: polite, specific, and never a new bank account.
HAM += [
    (
        "EMAIL",
        "[[Friendly reminder|Payment reminder|Reminder]]: invoice {inv}",
        "Hi {first},\n\n[[Just a quick reminder that|Our records show that|Hope all is well. A "
        "small nudge:]] invoice {inv} for €{amount} ([[packaging materials, October delivery|the "
        "annual maintenance contract|the spare parts shipped on the 4th]]) was due on the "
        "[[12th|20th|1st]]. [[If you've already paid, please ignore this email.|If payment is "
        "already on its way, thanks and sorry for the nudge.|Could you let me know when we can "
        "expect payment?]] Bank details are on the invoice as always.\n\n[[Any questions, just "
        "call me.|Let me know if there's a problem with the invoice.|]]\n\n{first2} {last}\n"
        "Accounts, {supplier}",
        "accounts@{supplier_slug}.com",
    ),
    (
        "EMAIL",
        "Zahlungserinnerung Rechnung {inv}",
        "Sehr geehrte Damen und Herren,\n\nsicher ist es Ihrer Aufmerksamkeit entgangen: Unsere "
        "Rechnung {inv} vom [[3.|12.|21.]] über {amount} € ist noch offen. Wir bitten Sie, den "
        "Betrag in den nächsten 7 Tagen auf das bekannte Konto zu überweisen.\n\nSollten Sie die "
        "Zahlung bereits veranlasst haben, betrachten Sie dieses Schreiben bitte als "
        "gegenstandslos.\n\nMit freundlichen Grüßen\n{first} {last}\nBuchhaltung, {supplier}",
        "buchhaltung@{supplier_slug}.de",
    ),
    (
        "EMAIL",
        "Herinnering: factuur {inv}",
        "Beste {first},\n\nVolgens onze administratie staat factuur {inv} van €{amount} nog open; "
        "de vervaldatum was [[vorige week|15 november]]. Wil je even kijken of deze betaald kan "
        "worden? Heb je al betaald, dan kruisen onze berichten elkaar.\n\nMet vriendelijke "
        "groet,\n{first2}\nDebiteurenadministratie {supplier}",
        "administratie@{supplier_slug}.nl",
    ),
    (
        "EMAIL",
        "Relance : facture {inv}",
        "Bonjour,\n\nSauf erreur de notre part, la facture {inv} d'un montant de {amount} € reste "
        "impayée à ce jour. Nous vous remercions de bien vouloir procéder au règlement [[sous "
        "huitaine|dans les meilleurs délais]], sur le compte habituel.\n\nSi le paiement a déjà "
        "été effectué, merci de ne pas tenir compte de ce message.\n\nCordialement,\n{first} "
        "{last}\nService comptabilité, {supplier}",
        "compta@{supplier_slug}.fr",
    ),
    (
        "EMAIL",
        "[[Invoice {inv} from {supplier}|New invoice {inv}|{supplier} - invoice {inv}]]",
        "[[Dear customer|Hi {first}|Hello]],\n\n[[Please find attached invoice {inv} for "
        "€{amount}.|Here's invoice {inv} for €{amount}, as agreed.|Your invoice {inv} (€{amount}) "
        "is attached.]]\nDue date: [[30|14]] days from the invoice date\n\nYou can also view and "
        "pay the invoice online: "
        "https://[[in.xero.com|app.moneybird.com|invoice.exactonline.nl|quickbooks.intuit.com/pay]]/{fileid}{order}\n"
        "\n[[Thank you for your business.|Thanks for working with us!|Kind regards,]]\n{supplier}",
        "invoices@{supplier_slug}.com",
    ),
    (
        "EMAIL",
        "[[Statement of account|Open items overview|Your account statement]] - {supplier}",
        "Hello,\n\nFor your records, here is an overview of the open items on your account with "
        "{supplier}:\n\n{inv}   €{amount}   due [[30 Nov|7 Dec]]\nINV-{order}   €{small}   due "
        "[[14 Dec|21 Dec]]\n\nPlease let us know if any of these don't match your administration. "
        "[[Our payment terms and bank details are unchanged.|]]\n\nKind regards,\n{first2} "
        "{last}\nCredit control",
        "creditcontrol@{supplier_slug}.com",
    ),
    (
        "EMAIL",
        "Second reminder: invoice {inv} now [[30|45]] days overdue",
        "Hi {first},\n\nWe haven't received payment for invoice {inv} (€{amount}), which is now "
        "[[30|45]] days overdue, and we didn't hear back on our reminder of the [[3rd|10th]]. I'm "
        "sorry to chase, but our policy is to put new deliveries on hold after 45 days.\n\nIf "
        "there's a dispute about the invoice, please call me on +[[31 30 214 8800|44 113 496 "
        "0120|49 89 4412 700]] so we can sort it out. Otherwise, please arrange payment to the "
        "usual account this week.\n\nThanks,\n{first2} {last}\n{supplier}",
        "{first2}.{last}@{supplier_slug}.com",
    ),
]

# Real bank-detail changes (confirm by phone) and customers asking about an odd request.
HAM += [
    (
        "EMAIL",
        "[[New bank details from 1 January - please verify by phone|Change of bank account: "
        "please call us to confirm|Our bank account is changing]]",
        "Dear customer,\n\nWe're moving our business account from [[ING|Rabobank|Deutsche Bank]] "
        "to [[ABN AMRO|Commerzbank|KBC]]. From [[1 January|1 March]], please pay our invoices to "
        "the new account shown in the signed letter attached (on our letterhead).\n\nBecause of "
        "invoice fraud, we never change bank details by email alone: before you update your "
        "records, please call us on our usual number, [[+31 30 214 8800|+49 89 4412 700|+44 113 "
        "496 0120]], and ask for {first2}, who will confirm the new IBAN with you. Payments to "
        "the old account will still be forwarded for six months.\n\nKind regards,\n{first} "
        "{last}\nFinance, {supplier}",
        "finance@{supplier_slug}.com",
    ),
    (
        "EMAIL",
        "FYI - bank change (please call to confirm)",
        "Hi {first},\n\nHeads-up: our bank account changes on the [[1st|15th]]. The new details "
        "are on our next invoice, but please don't take my word for it by email, give me a ring "
        "on my mobile first. You have the number. No rush, the old account stays open until "
        "March.\n\n{first2}\n{supplier}",
        "{first2}@{supplier_slug}.com",
    ),
    (
        "EMAIL",
        "[[Re: your bank details|Did you change your bank account?|Is this email from you?]]",
        "Hi,\n\nWe received an email this morning, supposedly from your accounts team, saying "
        "your bank details have changed and asking us to pay invoice {inv} to an account in "
        "Lithuania. It came from a gmail address, so it looks fishy to me.\n\nWe haven't paid "
        "anything. Could you confirm by phone that your details are unchanged? My direct line is "
        "+[[31 20 {code}|49 30 {code}]].\n\nThanks,\n{first} {last}\nAccounts payable, {biz}",
        "{first}.{last}@{biz_site}",
    ),
]

# Genuine security, sign-in and password notifications from real services, short ones too.
HAM += [
    (
        "EMAIL",
        "[[Security alert|New sign-in to your account|A new sign-in on {device}]]",
        "[[New sign-in to your Google Account|A new sign-in on {device}]]\n\n"
        "{first}.{last}@{biz_site}\n\nWe noticed a new sign-in to your Google Account on a "
        "[[Windows|Mac|iPhone|Android]] device. If this was you, you don't need to do anything. "
        "If not, we'll help you secure your account.\n\nCheck activity: "
        "https://myaccount.google.com/notifications\n\nYou received this email to let you know "
        "about important changes to your Google Account and services.",
        "no-reply@accounts.google.com",
    ),
    (
        "EMAIL",
        "[[Your password was changed|Password changed|Your {service} password has been changed]]",
        "[[Hi {first},|Hello {first},|Hi,]]\n\nThe password for your {service} account "
        "({first}@{biz_site}) was changed on {day} at {time}. [[If you made this change, you "
        "don't need to do anything.|If this was you, no action is needed.]]\n\n[[If you didn't "
        "change it, reset your password from the sign-in page and contact our support "
        "team.|Didn't do this? Reset your password right away from the {service} app.]]\n\nThe "
        "{service} team",
        "no-reply@{service_l}.com",
    ),
    (
        "EMAIL",
        "[[Your {service} verification code|{code} is your {service} code|Your login code]]",
        "[[Your verification code is|Use this code to sign in:|Here is your one-time code:]] "
        "{code}\n\n[[It expires in 10 minutes.|This code is valid for 15 minutes.]] If you didn't "
        "try to sign in, you can ignore this email.",
        "no-reply@{service_l}.com",
    ),
    (
        "EMAIL",
        "[[New login to {biz} admin|Login from a new device|New staff login]]",
        "[[Hi {first},|Hello,]]\n\n[[Someone logged in to your store admin|There was a new login "
        "to your account]] from {city} using {device} at {time}.\n\nIf this was you or a member "
        "of your staff, you can ignore this email. If you don't recognise this activity, change "
        "your password and review your staff accounts in Settings.",
        "no-reply@{service_l}.com",
    ),
    (
        "EMAIL",
        "Neue Anmeldung bei Ihrem Konto",
        "Hallo {first},\n\nIhr Konto wurde heute um {time} Uhr auf einem neuen Gerät verwendet "
        "({device}, {city}).\n\nWaren Sie das? Dann müssen Sie nichts tun. Falls nicht, ändern "
        "Sie bitte Ihr Passwort in den Kontoeinstellungen.\n\nIhr {service}-Team",
        "noreply@{service_l}.com",
    ),
    (
        "EMAIL",
        "Nieuw apparaat gekoppeld aan uw bankapp",
        "Beste {first} {last},\n\nU heeft vandaag om {time} uur een nieuw apparaat gekoppeld aan "
        "de app voor Zakelijk Internetbankieren.\n\nWas u dit? Dan hoeft u niets te doen. Was u "
        "dit niet? Bel ons dan direct via het telefoonnummer op de achterkant van uw bankpas. Wij "
        "vragen u nooit om via een link in te loggen.\n\nMet vriendelijke groet,\nUw bank",
        "noreply@bank.example.nl",
    ),
    (
        "EMAIL",
        "[[Two-step verification turned on|2-Step Verification is on|You turned on two-factor "
        "authentication]]",
        "{first}, [[you turned on two-step verification for your account|two-factor "
        "authentication is now on]]. From now on you'll need a code from your phone when you sign "
        "in on a new device.\n\n[[If you didn't do this, contact your administrator.|Didn't make "
        "this change? Let us know.]]",
        "no-reply@{service_l}.com",
    ),
    (
        "EMAIL",
        "[[Sign-in attempts blocked|Too many failed sign-in attempts]]",
        "Hi {first},\n\n[[Someone entered the wrong password for your account 5 times|We noticed "
        "several failed sign-in attempts]], so we've temporarily locked sign-in for [[30 "
        "minutes|1 hour]]. If this was you, you can try again later or reset your password from "
        "the login page.\n\nThe {service} team",
        "security@{service_l}.com",
    ),
    (
        "EMAIL",
        "[[New sign-in|Was this you?|Sign-in from {city}]]",
        "New sign-in from {device} in {city}. [[Not you? Change your password in Settings > "
        "Security.|If this was you, there's nothing to do.]]",
        "no-reply@{service_l}.com",
    ),
    (
        "EMAIL",
        "[[Your Apple ID was used to sign in to iCloud via a web browser|Microsoft account: new "
        "app connected]]",
        "[[Dear {first} {last},|Hi {first},]]\n\n[[Your Apple ID was used to sign in to iCloud "
        "via a web browser on {day} at {time}.|A new app was connected to your Microsoft account "
        "on {day}.]]\n\nIf you recently signed in, you can disregard this email. If you didn't "
        "and believe someone may have accessed your account, [[go to your account page and change "
        "your password as soon as possible.|review the apps connected to your account in your "
        "security settings.]]\n\n[[Apple Support|The Microsoft account team]]",
        "[[noreply@email.apple.com|account-security-noreply@accountprotection.microsoft.com]]",
    ),
]

# Genuine job applications and unsolicited applications, without links.
HAM += [
    (
        "EMAIL",
        "Candidatura spontanea - [[addetta alle vendite|magazziniere|impiegata amministrativa]]",
        "Buongiorno,\n\nmi chiamo {first} {last} e vi scrivo per propormi come [[addetta alle "
        "vendite|magazziniere|impiegata amministrativa]]. Ho [[due|tre|cinque]] anni di "
        "esperienza nel settore e conosco bene il vostro negozio, dove sono cliente da tempo.\n\n"
        "Vi allego il mio curriculum. Sono disponibile anche part-time e da subito.\n\nRingrazio "
        "per l'attenzione e porgo cordiali saluti,\n{first} {last}",
        "{first}.{last}@libero.it",
    ),
    (
        "EMAIL",
        "Candidatura espontánea",
        "Hola,\n\nMe llamo {first} {last} y me gustaría formar parte del equipo de {biz}. Tengo "
        "experiencia en [[atención al cliente|logística y almacén|ventas en tienda]] y hablo "
        "español, inglés y algo de alemán.\n\nAdjunto mi currículum. Quedo a vuestra disposición "
        "para una entrevista cuando os venga bien.\n\nUn saludo,\n{first}",
        "{first}.{last}@gmail.com",
    ),
    (
        "EMAIL",
        "Initiativbewerbung als [[Verkäuferin|Bürokauffrau|Lagermitarbeiter]]",
        "Sehr geehrte Damen und Herren,\n\nauch wenn Sie derzeit keine Stelle ausgeschrieben "
        "haben, möchte ich mich initiativ bei Ihnen bewerben. Ich habe eine abgeschlossene "
        "Ausbildung als [[Kauffrau im Einzelhandel|Bürokauffrau|Fachkraft für Lagerlogistik]] und "
        "[[drei|vier]] Jahre Berufserfahrung.\n\nMeinen Lebenslauf und meine Zeugnisse finden Sie "
        "im Anhang. Über eine Einladung zu einem Gespräch freue ich mich.\n\nMit freundlichen "
        "Grüßen\n{first} {last}",
        "{first}.{last}@web.de",
    ),
    (
        "EMAIL",
        "[[Application - {job}|{job} vacancy|Applying for the {job} role]]",
        "[[Dear {biz} team,|Hello,|Hi {first2},]]\n\n[[I'd like to apply for the {job} role you "
        "posted on Indeed.|I saw your {job} vacancy on your website and I'm very interested.|A "
        "friend who works with you told me you're looking for {job} help.]] [[I've worked two "
        "years at a garden centre and a year in a busy bakery.|I'm finishing my studies in June "
        "and have done weekend retail work for three years.|I have a clean driving licence and "
        "experience with deliveries.]]\n\n[[My CV is attached.|I've attached my CV and a "
        "reference.]] [[I can start straight away.|I'm available from {day} onwards.|I can work "
        "weekends.]]\n\n[[Kind regards,|Thanks,|Best,]]\n{first} {last}",
        "{first}.{last}{num}@gmail.com",
    ),
    (
        "FORM",
        "[[Job application|New form submission]]",
        "Position: [[{job}|Open application]]\nName: {first} {last}\nEmail: "
        "{first}.{last}@gmail.com\nPhone: +31 6 [[2841 7730|1193 4408]]\nMessage: [[Hi! I'd love "
        "to work with you.|Hello, I'm interested in any part-time role.]] [[I have retail "
        "experience and I speak Dutch and English.|I'm a student and available on weekends.]] CV "
        "uploaded above.",
        None,
    ),
    (
        "CHAT",
        None,
        "[[hi, are you hiring for the summer?|hello! do you need extra staff for christmas?|hey, "
        "any part-time jobs available?]] [[I'm a student and can work weekends|I have experience "
        "in a shop|can I drop off my CV]]",
        None,
    ),
    (
        "EMAIL",
        "Sollicitatie magazijnmedewerker",
        "Goedemiddag,\n\nIk zag jullie vacature voor magazijnmedewerker en wil graag "
        "solliciteren. Ik heb [[twee|drie]] jaar ervaring met orderpicken en heb een "
        "heftruckcertificaat. Ik woon in {city} en kan direct beginnen.\n\nMijn cv zit in de "
        "bijlage.\n\nMet vriendelijke groet,\n{first} {last}",
        "{first}.{last}@hotmail.com",
    ),
    (
        "EMAIL",
        "Zgłoszenie - praca sezonowa",
        "Dzień dobry,\n\nchciałbym zgłosić się do pracy sezonowej w Państwa firmie. Mam "
        "doświadczenie w [[pracy w magazynie|obsłudze klienta]] i mogę pracować od "
        "[[grudnia|stycznia]].\n\nW załączniku przesyłam CV.\n\nZ poważaniem,\n{first} {last}",
        "{first}.{last}@wp.pl",
    ),
]

# Real customers complaining, with links to their own photos or videos.
HAM += [
    (
        "EMAIL",
        "[[Damaged on arrival - photos|{product} arrived broken|Order {order} damaged]]",
        "[[Hi,|Hello,|Hi there,]]\n\nMy {item} arrived [[with a cracked corner|broken in two "
        "pieces|with the box completely soaked]]. Photos here: "
        "https://[[photos.app.goo.gl|imgur.com/a|www.dropbox.com/s]]/{fileid}\n\nOrder {order}. "
        "[[I'd like a replacement please.|Can you send a new one?|What happens now?]]\n\n{first}",
        "{first}.{last}@gmail.com",
    ),
    (
        "CHAT",
        None,
        "[[the {item} came damaged|my order arrived broken|got my parcel today but something is "
        "wrong]], here's a photo https://[[imgur.com|i.imgur.com]]/{fileid} what should i do?",
        None,
    ),
    (
        "FORM",
        "New form submission",
        "Name: {first} {last}\nEmail: {first}.{last}@outlook.com\nOrder number: {order}\nMessage: "
        "[[The stitching came apart after one week.|The colour is completely different from the "
        "website.|Two parts were missing from the box.]] Photos: "
        "https://photos.app.goo.gl/{fileid} [[I'd like my money back.|Please advise.|Not happy at "
        "all.]]",
        None,
    ),
    (
        "EMAIL",
        "[[Still broken after repair|Video of the problem|The noise is back]]",
        "Hi,\n\nI've now [[sent it in twice|waited three weeks]] and the problem is still there. "
        "I uploaded a video showing the noise: https://drive.google.com/file/d/{fileid}/view\n\n"
        "This is really frustrating. [[I want a refund, not another repair.|If it's not fixed "
        "this time I'll go to the consumer association.|Please call me, I'm done writing "
        "emails.]]\n\n{first} {last}",
        "{first}{last}@hotmail.com",
    ),
    (
        "EMAIL",
        "Reklamation Bestellung {order} - Fotos",
        "Hallo,\n\nleider ist meine Bestellung ({item}) beschädigt angekommen. Ich habe Ihnen die "
        "Fotos per WeTransfer geschickt: https://we.tl/t-{fileid}\n\nBitte schicken Sie mir "
        "Ersatz oder erstatten Sie den Kaufpreis.\n\nViele Grüße\n{first} {last}",
        "{first}.{last}@gmx.de",
    ),
]

# Customers asking about a product, linking to the shop's own page.
HAM += [
    (
        "EMAIL",
        "[[Question about this product|Is this still available?|Sizes?]]",
        "[[Hi,|Hello!|Good morning,]]\n\n[[Is this one still available in blue?|Does this come in "
        "a larger size?|Is this suitable for outdoor use?]] "
        "https://{shop_slug}.com/products/{productslug}\n\n[[I'd like to order two if so.|It's "
        "for a gift, so I need it by the 20th.|Thanks in advance!]]\n\n{first}",
        "{first}.{last}@gmail.com",
    ),
    (
        "CHAT",
        None,
        "[[is this in stock?|when will this be back?|does this fit the older model?]] "
        "https://{shop_slug}.com/products/{productslug}",
        None,
    ),
    (
        "FORM",
        "New form submission",
        "Name: {first} {last}\nEmail: {first}{last}@gmail.com\nMessage: Regarding "
        "https://{biz_site}/[[products|shop|offer]]/{productslug} - [[do you ship this to "
        "{city}?|is the price including VAT?|can I pick it up at your place?]]",
        None,
    ),
]

# Wholesale, café, hotel and office inquiries from real businesses (no advance fees, no agents).
HAM += [
    (
        "EMAIL",
        "[[Hotel {hotel}: quote for room amenities|Quote request - Hotel {hotel}, "
        "{city}|Refurbishment at Hotel {hotel}]]",
        "Good morning,\n\nI'm the purchasing manager at Hotel {hotel} in {city} ([[46|22|68]] "
        "rooms). We're refurbishing [[our breakfast room|the rooms on the second floor|the lobby "
        "bar]] in February and would like a quote for [[{product}, 30 units|your products for all "
        "rooms|the items in the attached list]].\n\nCould you also tell us the delivery time and "
        "whether you invoice on 30-day terms? Our VAT number and delivery address are in the "
        "attached form.\n\n[[Best regards,|Kind regards,]]\n{first} {last}\nPurchasing, Hotel "
        "{hotel}",
        "purchasing@hotel{hotel_l}.com",
    ),
    (
        "EMAIL",
        "[[Wholesale account for our café|Trade account request|Reseller question]]",
        "Hi,\n\nWe run a [[small café|deli|concept store]] in {city} and customers keep asking "
        "about {product}. Could we open a trade account? We'd start with [[10-15|20]] units a "
        "month.\n\nWe're a registered business (KvK [[71928834|80443127]]) and can pay by bank "
        "transfer on invoice or upfront for the first order, whichever you prefer.\n\n"
        "[[Thanks!|Cheers,|Best,]]\n{first}\n{biz}",
        "{first}@{biz_site}",
    ),
    (
        "FORM",
        "[[Wholesale application|New form submission]]",
        "Business name: {biz}\nContact person: {first} {last}\nVAT number: "
        "[[NL8604|DE3184|BE0712]]{order}\nType of business: {trade}\nMessage: [[We'd like to "
        "stock your products in our shop.|Please send your wholesale price list and minimum "
        "order.|Interested in a trial order of 2 boxes.]]",
        None,
    ),
    (
        "EMAIL",
        "[[Catering order for {day}|Order for our team event|Group order - 80 people]]",
        "Hi,\n\nWe're organising [[a team day|our Christmas lunch|a customer event]] on {day} for "
        "about [[40|80|120]] people and would like to order from you. Could you send a quote "
        "including delivery to our office in {city}? We'd need everything by 11:00.\n\nPO numbers "
        "are required on our invoices; I'll send one once we agree.\n\nThanks,\n{first} {last}\n"
        "Office manager, {biz}",
        "office@{biz_site}",
    ),
    (
        "EMAIL",
        "[[RFQ-{order}: {product}|Request for quotation {order}]]",
        "Dear supplier,\n\n{biz} invites you to quote for the items listed in RFQ-{order} "
        "(delivery to {city}, Q1). The RFQ is published in our procurement portal; you'll receive "
        "a separate invitation from [[SAP Ariba|Coupa]] with a login link for your company.\n\n"
        "Deadline for quotes: [[15 January|31 January]]. Questions can be sent to this address.\n"
        "\nKind regards,\n{first} {last}\nProcurement, {biz}",
        "procurement@{biz_site}",
    ),
    (
        "EMAIL",
        "Pedido mayorista para nuestra tienda",
        "Hola,\n\nTenemos una tienda en {city} y nos interesa vender vuestros productos, por "
        "ejemplo {item}. ¿Podríais enviarnos la lista de precios para distribuidores y el pedido "
        "mínimo? Pagamos por transferencia a 30 días.\n\nGracias,\n{first} {last}\n{biz}",
        "{first}@{biz_site}",
    ),
]

# Real press and partnership requests, including warm ones that open with a compliment.
HAM += [
    (
        "EMAIL",
        "[[Interview request - local radio|Radio {city}: short interview?|Could we interview "
        "you?]]",
        "Hi,\n\nI'm a producer at Radio {city}. We're doing a segment on [[small businesses "
        "getting through the winter|how local shops deal with online competition|family "
        "businesses in the region]] and would love to talk to the owner for 10 minutes, by phone "
        "or in our studio, on {day} morning.\n\nNo cost involved, of course. Could you let me "
        "know who to contact?\n\nThanks,\n{first} {last}",
        "{first}.{last}@radio{city_l}.nl",
    ),
    (
        "EMAIL",
        "[[Your post about {postshort}|Loved your post - collab idea|Neighbours with an idea]]",
        "Hi {biz} team,\n\nWe loved your post about {postshort}! We're [[the bakery|the "
        "florist|the bookshop]] two streets away from you and we've been thinking: what about a "
        "joint [[Christmas market stall|Saturday pop-up|gift box]]? We split costs and each "
        "promote it to our own customers. No fees, just neighbours helping each other.\n\nPop in "
        "for a coffee some time this week?\n\n{first}",
        "{first}@{shop_slug}.nl",
    ),
    (
        "EMAIL",
        "[[Review of your {item} on my blog|I wrote about your {item}]]",
        "Hi,\n\nI bought the {item} from you last month (with my own money, nobody asked me to) "
        "and liked it enough to write about it on my small blog. The review goes live on {day}. "
        "Would you mind if I used two of your product photos, with a credit and a link? If not, "
        "I'll just use my own.\n\nThanks,\n{first}",
        "{first}.{last}@gmail.com",
    ),
    (
        "FORM",
        "New form submission",
        "Name: {first} {last}\nOrganisation: [[Basisschool De Regenboog|Sportclub "
        "{city}|Voedselbank {city}]]\nMessage: [[We're holding a charity raffle on {day}.|Our "
        "school fair is coming up.|We're collecting prizes for our yearly fundraiser.]] Would you "
        "donate a small prize? We'd mention {biz} on our posters and in our newsletter. Thank you!",
        None,
    ),
]

# Order, return, warranty and shipping questions, in several languages and lengths.
HAM += [
    (
        "CHAT",
        None,
        "[[hi|hello|hey]], [[my parcel|the package]] from order {order} is stuck at the {carrier} "
        "depot since {day}, can you [[help|check]]?",
        None,
    ),
    (
        "CHAT",
        None,
        "Bonjour, est-ce que vous livrez en [[Belgique|Suisse|France]] ? Et combien coûte la "
        "livraison ?",
        None,
    ),
    (
        "CHAT",
        None,
        "Hola, ¿puedo cambiar [[la talla|el color|la dirección de entrega]] de mi pedido {order}?",
        None,
    ),
    (
        "CHAT",
        None,
        "Dzień dobry, czy wysyłacie do Polski? Ile kosztuje dostawa [[do Krakowa|do Warszawy]]?",
        None,
    ),
    (
        "CHAT",
        None,
        "Buongiorno, il mio ordine {order} non è ancora arrivato, potete controllare?",
        None,
    ),
    (
        "CHAT",
        None,
        "Hallo, kann ich die Bestellung {order} noch ändern? [[Falsche Farbe gewählt|Falsche "
        "Adresse angegeben|Ich brauche zwei statt einem]]",
        None,
    ),
    (
        "EMAIL",
        "[[Return label not received|No return label?|Return for order {order}]]",
        "Hi,\n\nI registered a return for order {order} [[on {day}|three days ago]] but never got "
        "the return label, not even in my spam folder. Could you send it again? [[I'd like to "
        "drop the parcel at a {carrier} point this week.|I'm away from next week.]]\n\nThanks,\n"
        "{first}",
        "{first}.{last}@gmail.com",
    ),
    (
        "EMAIL",
        "[[Refund still not received|Where is my refund?|Refund for return {order}]]",
        "Hello,\n\nYou confirmed receipt of my return (order {order}) [[two weeks ago|on the "
        "3rd]] but the refund of €{small} hasn't reached my account yet. [[Can you check whether "
        "it was sent?|Could you send me a payment reference so my bank can trace it?]] If it's "
        "not sorted soon I'll have to ask my bank to reverse the payment.\n\n{first} {last}",
        "{first}{last}@outlook.com",
    ),
    (
        "EMAIL",
        "[[Warranty claim - {item}|Warranty question|Defect after 8 months]]",
        "Hi,\n\nMy {item} (bought in [[March|May|January]], order {order}) has stopped working: "
        "[[it doesn't switch on anymore|the zip broke|the handle came loose]]. Serial number on "
        "the label: SN-{order}-{code}.\n\nHow does the warranty work? Do I send it to you or to "
        "the manufacturer?\n\nThanks,\n{first} {last}",
        "{first}.{last}@icloud.com",
    ),
    (
        "FORM",
        "New form submission",
        "Name: {first} {last}\nOrder number: {order}\nMessage: [[Can I pick it up at your shop "
        "instead of having it shipped?|Please deliver after 17:00, nobody is home during the "
        "day.|Could you gift-wrap it? It's a present.]]",
        None,
    ),
    (
        "CHAT",
        None,
        "[[I was charged twice for order {order}|my bank shows two payments for one order]], both "
        "€{small}. can you check please? [[I only got one confirmation email|order number is "
        "{order}]]",
        None,
    ),
    (
        "EMAIL",
        "[[Double charge on my card|Charged twice for order {order}]]",
        "Hi,\n\nMy card was charged twice for order {order} (€{small} on {day}, twice). I've "
        "attached a screenshot of my bank statement. Could you refund one of them? I'm happy to "
        "wait a few days if it's just a pending authorisation.\n\nThanks,\n{first} {last}",
        "{first}.{last}@gmail.com",
    ),
    (
        "CHAT",
        None,
        "I got a text saying I have to pay a customs fee for my parcel, [[is that real?|is that "
        "from you?|should I pay it?]] order {order}, shipped from your shop [[yesterday|on {day}]]",
        None,
    ),
    (
        "EMAIL",
        "[[Import duty for delivery to the UK?|Customs charges?|Will I pay customs?]]",
        "Hello,\n\nI'm in [[Leeds|Manchester|Zurich]] and would like to order {product}. Will I "
        "have to pay import duty or a customs handling fee on delivery, or is that included in "
        "your price? Last time I ordered from the EU the courier charged me £18 at the door.\n\n"
        "Thanks,\n{first}",
        "{first}.{last}@btinternet.com",
    ),
    (
        "CHAT",
        None,
        "[[hi, can I move my appointment on {day} to the afternoon?|I need to cancel my booking "
        "for {day}, sorry!|can I book a repair slot next week?]]",
        None,
    ),
    (
        "FORM",
        "New form submission",
        "Name: {first} {last}\nCompany: {biz}\nEmail: {first}@{biz_site}\nMessage: [[We'd like to "
        "upgrade to the annual plan and need a PO-based invoice.|Please add two more user seats "
        "to our subscription.|Can you change the billing address on our account? We moved.]]",
        None,
    ),
    (
        "EMAIL",
        "[[Booking {order}: late check-in|Late arrival on {day}|Booking {order} - parking?]]",
        "Hi,\n\nWe have a booking ({order}) [[from {day}|for two nights]]. Our flight lands late, "
        "so we'll arrive around [[23:00|midnight]]. Is that OK, and how do we get the key? "
        "[[Also, is there parking nearby?|We're travelling with a small dog, is that still "
        "fine?]]\n\nThanks,\n{first}",
        "{first}.{last}@gmail.com",
    ),
    (
        "EMAIL",
        "[[Documents for the tax return|Re: missing receipts|Our annual accounts]]",
        "Hi {first2},\n\nAs requested, I've uploaded the bank statements and the receipts for Q4 "
        "to your client portal. The only thing missing is the lease contract for the van, I'll "
        "send that [[on {day}|next week]].\n\nCould you let me know if you need anything else "
        "before the deadline?\n\nRegards,\n{first} {last}\n{biz}",
        "{first}@{biz_site}",
    ),
]

# Transactional notifications a small business really receives.
HAM += [
    (
        "EMAIL",
        "[{biz}] Order #{order} placed by {first} {last}",
        "[[{first} {last} placed order #{order}.|New order #{order} from {first} {last}.]]\n\n1 x "
        "{item}   €{small}\nShipping: Standard\nPayment: [[paid|iDEAL, paid|card, paid]]\n\nView "
        "order in your admin.",
        "store+{num}@t.shopifyemail.com",
    ),
    (
        "EMAIL",
        "[[{carrier}: pickup confirmed for {day}|Your {carrier} collection is booked]]",
        "Hello,\n\nYour pickup is confirmed.\n\nDate: {day}\nTime window: "
        "[[09:00-13:00|13:00-17:00]]\nParcels: [[3|6|12]]\nReference: {order}\n\nPlease have the "
        "parcels labelled and ready at the reception.\n\n{carrier} Business Services",
        "noreply@{carrier_l}.com",
    ),
    (
        "EMAIL",
        "[[{first} left a review for {biz}|New 5-star review]]",
        '{first} {last_initial}. [[rated {biz} ★★★★★|left a 4-star review]]:\n\n"[[Friendly '
        "staff and quick delivery, will order again.|Great advice in the shop, exactly what I "
        'needed.|Good product, packaging could be better.]]"\n\nReply to the review from your '
        "dashboard.",
        "notifications@{service_l}.com",
    ),
    (
        "EMAIL",
        "[[Invitation: Call with {first} @ {day} 10:00 (CET)|Updated invitation: {biz} / "
        "{supplier}|Meeting: quarterly review]]",
        "{first} {last} has invited you to a meeting.\n\nWhen: {day} 10:00-10:30 (CET)\nWhere: "
        "Google Meet - meet.google.com/{meetcode}\n\nAgenda: [[next year's prices|delivery "
        "schedule for Q1|contract renewal]]\n\nGoing? Yes - Maybe - No\n\nInvitation from Google "
        "Calendar",
        "calendar-notification@google.com",
    ),
    (
        "EMAIL",
        "[[Payment received - thank you|You received a payment of €{small}|Payout on its way]]",
        "[[You received €{small} from {first} {last} for order {order}.|A payment of €{small} was "
        "received for invoice {inv}.|Your payout of €{amount} will arrive in 1-2 business "
        "days.]]\n\nView details in your dashboard.\n\n[[Mollie|Stripe|PayPal]]",
        "no-reply@{service_l}.com",
    ),
    (
        "EMAIL",
        "[[Your receipt from {service} #{order}|{service} subscription renewed|Receipt for your "
        "{service} plan]]",
        "[[Thanks for your payment.|Your subscription has been renewed.]]\n\nReceipt #{order}\n"
        "Plan: [[Team|Pro|Business]] (monthly)\nAmount: €{small}\nPaid with: card ending "
        "[[4410|2291|0815]]\n\nYou can download invoices from the billing page. Questions? Just "
        "reply to this email.\n\n{service}",
        "receipts@{service_l}.com",
    ),
    (
        "EMAIL",
        "[[Your subscription renews on {day}|Upcoming renewal|Renewal reminder]]",
        "Hi {first},\n\nA heads-up that your {service} [[Team|Business]] plan renews [[on "
        "{day}|next week]] for €{small} per month. No action is needed if you want to continue. "
        "You can change or cancel your plan in Settings > Billing at any time.\n\nThe {service} "
        "team",
        "billing@{service_l}.com",
    ),
]

# Replies around auto-replies and holidays, and other legitimate mail that sounds legal or urgent.
HAM += [
    (
        "EMAIL",
        "Re: Automatic reply: [[order question|your quote|delivery]]",
        "Hi,\n\nI got your auto-reply, no rush. When you're back, could you let me know whether "
        "order {order} can still ship [[this week|before the 20th]]? Otherwise I'll pick it up in "
        "the shop.\n\nThanks,\n{first}",
        "{first}.{last}@gmail.com",
    ),
    (
        "EMAIL",
        "[[Back in the office - re: your quote|Sorry for the slow reply|Re: quote {order}]]",
        "Hi {first2},\n\nSorry for the slow reply, I was [[on holiday|ill|at a trade fair]] last "
        "week. We'd like to go ahead with the quote for [[the 20 units|option B|the full order]]. "
        "Could you send the order confirmation and let me know the delivery date?\n\nBest,\n"
        "{first} {last}\n{biz}",
        "{first}.{last}@{biz_site}",
    ),
    (
        "EMAIL",
        "[[Trademark application {biz} - next steps|Re: registering your brand name|Trademark: "
        "objection period ended]]",
        "Dear {first},\n\n[[Good news: the opposition period for your trademark application has "
        "ended without objections.|The Benelux office has published your application.|We have "
        "filed your trademark application as discussed.]] The registration certificate should "
        "follow within [[4|6]] weeks.\n\nPlease note that you may receive letters from private "
        '"registers" asking for fees; these are not from the trademark office and can be '
        "ignored. If in doubt, call me.\n\nKind regards,\n{first2} {last}\nIP lawyer",
        "{first2}.{last}@{last}-ip.law",
    ),
    (
        "EMAIL",
        "[[Invoice for the product shoot + usage licence|Photos and licence terms]]",
        "Hi {first},\n\nThanks again for the shoot on {day}! The edited photos are in the shared "
        "folder you already have. Attached is the invoice (€{amount}), including a licence for "
        "use on your own website and social media for [[two|three]] years.\n\nIf you want to use "
        "them in print or give them to resellers, let me know and I'll extend the licence.\n\n"
        "Cheers,\n{first2}\nPhotographer",
        "{first2}@{first2}{last}photography.com",
    ),
    (
        "CHAT",
        None,
        "[[hello??|anyone there?|hi, is someone online?|👍 thanks|ok thank you!|perfect, thanks!]]",
        None,
    ),
]

# Salesy but legitimate: quotes, offers and price news for existing customers or on request.
HAM += [
    (
        "EMAIL",
        "[[Your quote {order}|Quote as promised|Re: prices for {item}]]",
        "Hi {first},\n\n[[As promised on the phone,|Thanks for your visit on {day}.|Following "
        "your email,]] here's our quote for [[20 x {item}|the items on your list|the spring "
        "order]]: €{amount} excl. VAT, including delivery to {city}. The offer is valid for 30 "
        "days.\n\n[[We can also give you 5% off if you order before the 20th.|Free delivery above "
        "€500, as usual.|Payment on 30 days' invoice is fine.]]\n\nLet me know if you'd like to "
        "go ahead.\n\n{first2}\n{supplier}",
        "{first2}@{supplier_slug}.com",
    ),
    (
        "EMAIL",
        "[[Early order discount for your spring stock|Trade customers: 15% off until "
        "{day}|Clearance offer for our regular customers]]",
        "Dear {first},\n\nAs one of our regular trade customers, you can order [[spring "
        "stock|last season's models|the new catalogue items]] until {day} with [[10%|15%]] "
        "early-order discount and free delivery. Quantities are limited for a few items, so I'd "
        "suggest not waiting too long.\n\nJust reply with your order or call me on the usual "
        "number.\n\nKind regards,\n{first2} {last}\nAccount manager, {supplier}",
        "{first2}.{last}@{supplier_slug}.com",
    ),
    (
        "CHAT",
        None,
        "[[do you have any black friday deals?|is the 20% off from instagram still valid?|saw "
        "your ad with free shipping]] [[does it apply to {item}?|can I use it on sale items "
        "too?|is that for belgium too?]]",
        None,
    ),
    (
        "FORM",
        "New form submission",
        "Name: {first} {last}\nEmail: {first}.{last}@gmail.com\nMessage: [[Is the free shipping "
        "offer also valid for Belgium?|Does the 10% newsletter code work on sale items?|I saw the "
        "winter sale, is {item} included?]] [[I'd like to order this week.|Thanks!|It's for a "
        "present.]]",
        None,
    ),
    (
        "EMAIL",
        "[[Re: discount for a bulk order|Re: your offer|Re: price for 50 units]]",
        "Hi {first2},\n\nThanks for the offer of [[8%|10%]] on [[50|40]] units. If you can "
        "include free shipping to {city}, we have a deal and I'll send the PO [[today|on "
        "{day}]].\n\nBest,\n{first} {last}\n{biz}",
        "{first}.{last}@{biz_site}",
    ),
    (
        "EMAIL",
        "[[Your contract renewal - options for next year|Renewal of your maintenance "
        "contract|Your {service} plan: save 15% with annual billing]]",
        "Hi {first},\n\nYour [[maintenance|insurance|{service}]] contract with us renews on 1 "
        "January. Nothing changes if you do nothing. [[If you switch to annual billing, you save "
        "15%.|We can also add the second location at half price.|Prices stay the same for "
        "existing customers.]]\n\nHappy to walk you through the options on a short call. [[Would "
        "{day} suit you?|Just reply with a good time.]]\n\n{first2} {last}\nCustomer success",
        "{first2}.{last}@{supplier_slug}.com",
    ),
    (
        "EMAIL",
        "[[Invitation: customer evening on {day}|You're invited: new collection preview|Join us "
        "at our open day]]",
        "Dear {first},\n\nAs a thank-you to our customers, we're hosting a small evening at our "
        "[[warehouse|showroom]] in {city} on {day} from 17:00: a preview of next year's range, "
        "drinks and something to eat. It would be great to see you there. Let me know if you'll "
        "come, and feel free to bring a colleague.\n\nWarm regards,\n{first2}\n{supplier}",
        "{first2}@{supplier_slug}.com",
    ),
    (
        "EMAIL",
        "Preisanpassung zum 1. Januar",
        "Sehr geehrte Kundin, sehr geehrter Kunde,\n\naufgrund gestiegener Material- und "
        "Transportkosten passen wir unsere Preise zum 1. Januar um durchschnittlich [[3|4,5]] % "
        "an. Bestellungen, die bis zum 20. Dezember eingehen, berechnen wir noch zu den alten "
        "Preisen.\n\nDie neue Preisliste finden Sie im Anhang. Für Fragen steht Ihnen Ihr "
        "Ansprechpartner gern zur Verfügung.\n\nMit freundlichen Grüßen\n{first} {last}\n"
        "{supplier}",
        "vertrieb@{supplier_slug}.de",
    ),
    (
        "EMAIL",
        "[[Order confirmation {order}|Your order {order} is confirmed|Bevestiging bestelling "
        "{order}]]",
        "Thank you for your order.\n\nOrder: {order}\n[[12|24|6]] x {item}   €{small} each\n"
        "Discount (trade customer, [[5|10]]%)\nDelivery: [[next week|{day}]], free of charge\n\n"
        "We'll email you the tracking link as soon as it ships. Questions? Reply to this email or "
        "call us.\n\n{supplier}",
        "orders@{supplier_slug}.com",
    ),
]

# More genuine account notices, openings of every kind, so a short notice is not read as phishing.
HAM += [
    (
        "EMAIL",
        "[[Login alert|Security notification|A new device signed in]]",
        "[[Hi {first},|Hello,|{first},]] [[a new device just signed in to your {service} "
        "account|your {service} account was accessed from a new device|we noticed a login from a "
        "browser we haven't seen before]]: {device}, near {city}, {day} {time}. [[If that was "
        "you, you can ignore this message.|You don't need to do anything if this was you.|No "
        "action is required if you recognise this activity.]] [[Otherwise, change your password "
        "from your account settings.|If not, open the {service} app and go to Security.|]]",
        "[[no-reply|notifications|security-noreply]]@{service_l}.com",
    ),
    (
        "EMAIL",
        "[[Did you just sign in?|Was this you?|New sign-in to {service}]]",
        "[[We noticed a new sign-in to your account.|You signed in on a new device.|Someone "
        "signed in to your account using your password.]] [[Device: {device}|Browser: {device}]]. "
        "[[Location: {city}.|Approximate location: {city}.]] [[If this was you, there's nothing "
        "to do.|Recognise this? Then all is well.]]",
        "no-reply@{service_l}.com",
    ),
    (
        "EMAIL",
        "[[Your email address was changed|Your phone number was updated|Recovery email added]]",
        "Hi {first},\n\n[[The email address on your {service} account was changed|The phone "
        "number on your {service} account was updated|A recovery email was added to your "
        "{service} account]] on {day}. We're letting you know in case you didn't make this "
        "change. [[If you did, you can safely ignore this email.|If it was you, no further action "
        "is needed.]]\n\n{service} Support",
        "no-reply@{service_l}.com",
    ),
    (
        "EMAIL",
        "[[Nieuwe inlog op je account|Beveiligingsmelding]]",
        "Hoi {first},\n\nEr is [[zojuist|vandaag om {time}]] ingelogd op je {service}-account "
        "vanaf {device} in de buurt van {city}. Was jij dit? Dan hoef je niets te doen. Zo niet, "
        "wijzig dan je wachtwoord via de instellingen.\n\nGroeten,\nTeam {service}",
        "no-reply@{service_l}.com",
    ),
    (
        "EMAIL",
        "[[Your password has been reset|Password reset successful]]",
        "[[Your password was reset successfully.|You've successfully reset your password.]] You "
        "can now sign in with your new password. [[If you didn't request this, contact support "
        "right away.|Didn't reset your password? Please let us know.]]",
        "no-reply@{service_l}.com",
    ),
]

# Bookings and confirmations staff make for the business: commercial words in legitimate mail.
HAM += [
    (
        "EMAIL",
        "[[Your booking confirmation - {city}|Booking confirmed: {hotel} Hotel, "
        "{city}|Reservation {order} confirmed]]",
        "Dear {first} {last},\n\nThank you for booking with us. Your reservation is confirmed.\n\n"
        "Hotel {hotel}, {city}\nCheck-in: {day}, from 15:00\nCheck-out: 2 nights later, until "
        "11:00\nRoom: [[Double room|Single room|Twin room]], breakfast included\nTotal: "
        "€{amount_s}, pay at the hotel\n\nFree cancellation until 48 hours before arrival. Need "
        "anything? Just reply to this email.\n\nWe look forward to welcoming you!",
        "reservations@hotel{hotel_l}.com",
    ),
    (
        "EMAIL",
        "[[Your e-ticket {order}|Booking reference {code}: {city}|Your train tickets to {city}]]",
        "[[Your trip is booked.|Thanks for your booking.|Here are your tickets.]]\n\nBooking "
        "reference: {code}\nPassenger: {first} {last}\nOutbound: {day} 07:42, {city}\nFare: "
        "€{small}\n\n[[Show the QR code in the app when you board.|Print your ticket or show it "
        "on your phone.]] Changes are possible until the day before departure in Manage booking.",
        "[[noreply|tickets|booking]]@{travel_site}",
    ),
    (
        "EMAIL",
        "[[You're registered: {event}|Your ticket for {event}|Registration confirmed - {event}]]",
        "Hi {first},\n\nYou're registered for {event}. Your ticket ([[trade visitor|exhibitor "
        "pass|day ticket]]) is attached; show it at the entrance for free access to all halls.\n\n"
        "Tip: book your hotel early, the city fills up fast during the fair.\n\nSee you there!\n"
        "The {event} team",
        "tickets@{event_site}",
    ),
    (
        "EMAIL",
        "[[Back in stock: {item}|{item} is available again|Good news: your item is back]]",
        "Hi {first},\n\nYou asked us to let you know: {item} is back in stock. [[We're holding "
        "one for you until {day}.|Stock is limited.|]] Order it from your account or reply to "
        "this email and we'll reserve it.\n\n[[Best,|Cheers,]]\n{supplier}",
        "hello@{supplier_slug}.com",
    ),
    (
        "EMAIL",
        "[[Your rental car reservation|Van hire confirmed for {day}]]",
        "Hello {first},\n\nYour reservation {code} is confirmed: [[a 3.5 t van|a Transit van with "
        "tail lift|a compact car]] from our {city} branch, pick-up {day} 08:00, return the next "
        "day. Price: €{small} incl. insurance and 200 free km.\n\nBring your driving licence and "
        "a credit card in the driver's name.\n\nSee you soon!",
        "reservations@{supplier_slug}.com",
    ),
]


# "[[a|b|c]]" in a template: one option is picked per fill, so one template yields different
# openings, lengths and sign-offs instead of the same sentences with other names.
_CHOICE = re.compile(r"\[\[(.*?)\]\]", re.DOTALL)


def _choose(template: str, rng: random.Random) -> str:
    chosen = _CHOICE.sub(lambda match: rng.choice(match.group(1).split("|")), template)
    if "[[" in chosen or "]]" in chosen:
        raise ValueError(f"nested or unclosed [[...]] in template {template[:60]!r}")
    return chosen


def _render(template: str, values: dict[str, str], rng: random.Random) -> str:
    return _choose(template, rng).format(**values)


def _ascii_slug(text: str) -> str:
    text = text.lower().replace("ü", "ue").replace("ö", "oe").replace("ä", "ae").replace("ł", "l")
    decomposed = unicodedata.normalize("NFKD", text)
    return re.sub(r"[^a-z0-9]", "", decomposed.encode("ascii", "ignore").decode())


_LEGAL_FORMS = {"B.V.", "GmbH", "Ltd", "S.r.l.", "&", "Services", "Supplies", "Accountants"}


def _values(rng: random.Random) -> dict[str, str]:
    values = {name: rng.choice(options) for name, options in SLOTS.items()}
    values["first2"] = rng.choice(SLOTS["first"])
    values["agency_slug"] = values["agency"].lower().replace(" ", "")
    values["shop_slug"] = values["shop"].lower().replace(" ", "").replace(".", "").replace("&", "")
    for key in ("first", "last", "first2"):
        values[key + "_"] = values[key]
    biz, biz_site, trade = rng.choice(BUSINESSES)
    values.update(biz=biz, biz_site=biz_site, trade=trade, bizupper=biz.upper())
    values["bizword"] = _ascii_slug(biz)
    # "Kartonage Visser B.V." -> "kartonage-visser": hyphenated domains are common for real firms.
    words = [w for w in values["supplier"].split(" ") if w not in _LEGAL_FORMS]
    values["supplier_slug"] = "-".join(_ascii_slug(w) for w in words)
    values["item"] = values["product"].removeprefix("the ")
    values["carrier_l"] = values["carrier"].lower()
    values["service_l"] = values["service"].lower()
    values["hotel_l"] = _ascii_slug(values["hotel"])
    values["city_l"] = _ascii_slug(values["city"])
    values["last_initial"] = values["last"][0]
    return values


def _sender(template: str | None, values: dict[str, str], rng: random.Random) -> str | None:
    if template is None:
        return None
    address = _render(template, values, rng).lower().replace(" ", "")
    return address.replace("ü", "ue").replace("ó", "o").replace("ł", "l")


def _rows(label: str, t_index: int, category: str | None, spec: HamSpec) -> list[dict[str, object]]:
    channel, subject, text, sender = spec
    # One random stream per template: adding or editing a template leaves every other
    # template's rows unchanged (string seeds are hashed the same way on every platform).
    rng = random.Random(f"{SEED}/{label}/{t_index}")
    rows: list[dict[str, object]] = []
    for variant in range(PER_TEMPLATE):
        values = _values(rng)
        body = _render(text, values, rng)
        if variant % 3 == 2:  # some lower-cased variants, like chat traffic
            body = body.lower() if channel != "EMAIL" else body
        rows.append(
            {
                "id": f"gen/{label}/{t_index:02d}/{variant}",
                "source": "generated",
                "label": label,
                "category": category,
                "channel": channel,
                "subject": _render(subject, values, rng) if subject else None,
                "text": body,
                "html": None,
                "from_email": _sender(sender, values, rng),
                "from_name": f"{values['first']} {values['last']}" if sender else None,
            }
        )
    return rows


def generate() -> list[dict[str, object]]:
    rows: list[dict[str, object]] = []
    for t_index, (category, channel, subject, text, sender) in enumerate(SPAM):
        rows += _rows("spam", t_index, category, (channel, subject, text, sender))
    for t_index, ham_spec in enumerate(HAM):
        rows += _rows("ham", t_index, None, ham_spec)
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
