#include "connection/CertificateNames.h"

#include <QByteArray>

#include <openssl/ssl.h>
#include <openssl/x509v3.h>

#include <arpa/inet.h>
#include <fcntl.h>
#include <netdb.h>
#include <poll.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <unistd.h>

#include <cerrno>
#include <memory>

using namespace Qt::StringLiterals;

namespace {
// A connected TCP socket, or -1: non-blocking connect bounded by the timeout, then blocking I/O
// bounded by SO_RCVTIMEO/SO_SNDTIMEO.
int connectWithin(const QString& address, int port, int timeoutMs)
{
    addrinfo hints{};
    hints.ai_socktype = SOCK_STREAM;
    addrinfo* found = nullptr;
    if (getaddrinfo(address.toUtf8().constData(), QByteArray::number(port).constData(), &hints, &found) != 0)
        return -1;
    const std::unique_ptr<addrinfo, decltype(&freeaddrinfo)> results(found, &freeaddrinfo);
    for (addrinfo* candidate = found; candidate; candidate = candidate->ai_next) {
        const int fd = socket(candidate->ai_family, candidate->ai_socktype | SOCK_CLOEXEC, candidate->ai_protocol);
        if (fd < 0)
            continue;
        const int flags = fcntl(fd, F_GETFL);
        fcntl(fd, F_SETFL, flags | O_NONBLOCK);
        bool connected = ::connect(fd, candidate->ai_addr, candidate->ai_addrlen) == 0;
        if (!connected && errno == EINPROGRESS) {
            pollfd waiting{ fd, POLLOUT, 0 };
            int error = 0;
            socklen_t length = sizeof error;
            connected = poll(&waiting, 1, timeoutMs) == 1 && getsockopt(fd, SOL_SOCKET, SO_ERROR, &error, &length) == 0
                && error == 0;
        }
        if (connected) {
            fcntl(fd, F_SETFL, flags);
            const timeval limit{ timeoutMs / 1000, (timeoutMs % 1000) * 1000 };
            setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &limit, sizeof limit);
            setsockopt(fd, SOL_SOCKET, SO_SNDTIMEO, &limit, sizeof limit);
            return fd;
        }
        close(fd);
    }
    return -1;
}

QStringList namesOf(X509* certificate)
{
    QStringList names;
    auto* alternatives
        = static_cast<GENERAL_NAMES*>(X509_get_ext_d2i(certificate, NID_subject_alt_name, nullptr, nullptr));
    if (alternatives) {
        for (int i = 0; i < sk_GENERAL_NAME_num(alternatives); ++i) {
            const GENERAL_NAME* name = sk_GENERAL_NAME_value(alternatives, i);
            if (name->type == GEN_DNS) {
                const ASN1_STRING* text = name->d.dNSName;
                names << QString::fromUtf8(reinterpret_cast<const char*>(ASN1_STRING_get0_data(text)),
                                           ASN1_STRING_length(text));
            } else if (name->type == GEN_IPADD) {
                const ASN1_OCTET_STRING* octets = name->d.iPAddress;
                const int length = ASN1_STRING_length(octets);
                char buffer[INET6_ADDRSTRLEN] = {};
                if ((length == 4 || length == 16)
                    && inet_ntop(length == 4 ? AF_INET : AF_INET6, ASN1_STRING_get0_data(octets), buffer,
                                 sizeof buffer))
                    names << QString::fromLatin1(buffer);
            }
        }
        GENERAL_NAMES_free(alternatives);
    }
    // libpq, like browsers, looks at the common name only when there is no subjectAltName.
    if (names.isEmpty()) {
        char common[256] = {};
        if (X509_NAME_get_text_by_NID(X509_get_subject_name(certificate), NID_commonName, common, sizeof common) > 0)
            names << QString::fromUtf8(common);
    }
    return names;
}
} // namespace

QStringList CertificateNames::read(const QString& address, int port, const QString& serverName, int timeoutMs)
{
    const int fd = connectWithin(address, port, timeoutMs);
    if (fd < 0)
        return {};
    const std::unique_ptr<int, void (*)(int*)> closer(new int(fd), [](int* owned) {
        close(*owned);
        delete owned;
    });
    // PostgreSQL's SSLRequest: length 8, code 1234 5679; the server answers 'S' before TLS.
    const unsigned char request[8] = { 0, 0, 0, 8, 0x04, 0xd2, 0x16, 0x2f };
    char answer = 0;
    if (send(fd, request, sizeof request, MSG_NOSIGNAL) != sizeof request || recv(fd, &answer, 1, 0) != 1
        || answer != 'S')
        return {};
    const std::unique_ptr<SSL_CTX, decltype(&SSL_CTX_free)> context(SSL_CTX_new(TLS_client_method()), &SSL_CTX_free);
    if (!context)
        return {};
    SSL_CTX_set_verify(context.get(), SSL_VERIFY_NONE, nullptr);
    const std::unique_ptr<SSL, decltype(&SSL_free)> ssl(SSL_new(context.get()), &SSL_free);
    if (!ssl || SSL_set_fd(ssl.get(), fd) != 1)
        return {};
    if (!serverName.isEmpty())
        SSL_set_tlsext_host_name(ssl.get(), serverName.toUtf8().constData());
    if (SSL_connect(ssl.get()) != 1)
        return {};
    const std::unique_ptr<X509, decltype(&X509_free)> certificate(SSL_get1_peer_certificate(ssl.get()), &X509_free);
    QStringList names = certificate ? namesOf(certificate.get()) : QStringList();
    SSL_shutdown(ssl.get());
    return names;
}
